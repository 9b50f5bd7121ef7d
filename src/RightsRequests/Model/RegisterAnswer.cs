namespace Procexon.RightsRequests.Model;

/// <summary>One register's answer to an erasure request; <see cref="Outcome"/> is null while it is pending.</summary>
public sealed class RegisterAnswer
{
    public required Guid RequestId { get; init; }

    /// <summary>The register's slug: customers, accounting-payroll, backups, …</summary>
    public required string Register { get; init; }

    public required LocalizedText Name { get; init; }

    /// <summary>One of <see cref="ErasureOutcomes"/>, or null while the register has not answered.</summary>
    public string? Outcome { get; private set; }

    public int RecordsErased { get; private set; }

    /// <summary>What the law keeps (Art 17(3)(b),(e)), processing restricted, and until when.</summary>
    public List<RetainedItem> Retained { get; private set; } = [];

    /// <summary>What a legal hold placed by a person kept (Art 17(3)(e)), processing restricted, until the hold is lifted.</summary>
    public List<HeldItem> Held { get; private set; } = [];

    public LocalizedText? Note { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public bool IsPending => Outcome is null;

    public void Record(
        string outcome, int recordsErased, List<RetainedItem> retained, LocalizedText? note, DateTimeOffset answeredAt, List<HeldItem>? held = null)
    {
        Outcome = outcome;
        RecordsErased = recordsErased;
        Retained = retained;
        Held = held ?? [];
        Note = note;
        AnsweredAt = answeredAt;
    }
}

/// <summary>Data of the subject kept under law in one register, in one category, until the date it may go.</summary>
public sealed record RetainedItem(
    Guid SubjectId,
    string Category,
    string RetentionRule,
    LocalizedText Statute,
    DateOnly RetainUntil,
    int Records)
{
    public static RetainedItem From(RetainedData data) =>
        new(data.SubjectId, data.Category, data.RetentionRule, data.Statute, data.RetainUntil, data.Records);
}

/// <summary>Data of the subject a legal hold placed by a person keeps in one register, in one category (Art 17(3)(e)).</summary>
public sealed record HeldItem(Guid SubjectId, string Category, Guid HoldId, string Basis, int Records)
{
    public static HeldItem From(HeldData data) => new(data.SubjectId, data.Category, data.HoldId, data.Basis, data.Records);
}
