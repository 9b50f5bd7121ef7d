namespace Procexon.Registry.Model;

/// <summary>
/// A data subject (rekisteröity) and the identifiers we hold for them, normalised by the value types in Contracts.
/// The row stays while any of their records does (retained accounting data must stay attributable) and goes with
/// the last one.
/// </summary>
public sealed class Subject
{
    public required Guid Id { get; init; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? Hetu { get; set; }

    public string? BusinessId { get; set; }

    public string? CustomerNumber { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>What the subject's data in one register is, in one data category.</summary>
public sealed class RegisterRecord
{
    public required Guid Id { get; init; }

    public required Guid SubjectId { get; init; }

    public required string Register { get; init; }

    public required string Category { get; init; }

    public required Dictionary<string, string> Fields { get; set; }

    /// <summary>The day the data arose (invoice date, payslip date, backup date): retention periods count from it.</summary>
    public required DateOnly RecordedOn { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public RecordState State { get; set; } = RecordState.Active;

    /// <summary>For a restricted or beyond-use record: the retention rule that keeps it, and until when.</summary>
    public string? RetentionRule { get; set; }

    public DateOnly? RetainUntil { get; set; }

    public Guid? ErasureRequestId { get; set; }

    /// <summary>For a record an erasure kept only because a legal hold placed by a person covers it: that hold.</summary>
    public Guid? LegalHoldId { get; set; }
}

public enum RecordState
{
    /// <summary>Processed normally.</summary>
    Active,

    /// <summary>Kept only because the law requires it; not processed otherwise (GDPR Art 17(3)(b), Art 18).</summary>
    Restricted,

    /// <summary>In a backup that cannot be edited: excluded from any restore, gone when the backup rotates out.</summary>
    BeyondUse,
}

/// <summary>
/// Keeps an erased marketing subject from being added again (GDPR Art 21(3)): only a keyed hash of the e-mail or
/// phone, never the value.
/// </summary>
public sealed class SuppressionEntry
{
    public required string KeyHash { get; init; }

    public required string Kind { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>What one register did for one erasure request: the register's own audit of the erasure.</summary>
public sealed class RegisterErasure
{
    public required Guid RequestId { get; init; }

    public required string Register { get; init; }

    public required string Outcome { get; init; }

    public required int RecordsErased { get; init; }

    public required int RecordsRetained { get; init; }

    public required DateTimeOffset CompletedAt { get; init; }
}
