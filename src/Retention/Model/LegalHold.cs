namespace Procexon.Retention.Model;

/// <summary>
/// A scheduled erasure: data a register kept under law when its subject asked for erasure (GDPR Art 17(3)(b),(e)),
/// restricted until <see cref="RetainUntil"/> and to be erased the day after.
/// </summary>
public sealed class LegalHold
{
    public required Guid Id { get; init; }

    public required Guid SubjectId { get; init; }

    /// <summary>The slug of the register that keeps the data (accounting-payroll, employees, …).</summary>
    public required string Register { get; init; }

    /// <summary>The id of the retention rule that keeps it (accounting-vouchers, employment-certificate, …).</summary>
    public required string RetentionRule { get; init; }

    /// <summary>The register's data category (invoices, payslips, …).</summary>
    public required string Category { get; init; }

    public required string StatuteFi { get; init; }

    public required string StatuteEn { get; init; }

    /// <summary>The last day the law requires the data to be kept, in Finnish calendar days; it may go the day after.</summary>
    public required DateOnly RetainUntil { get; init; }

    /// <summary>The erasure request that left this data behind.</summary>
    public required Guid RequestId { get; init; }

    public required int Records { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public LegalHoldStatus Status { get; private set; } = LegalHoldStatus.Scheduled;

    /// <summary>When the retention period was found ended and the register was told to erase.</summary>
    public DateTimeOffset? ReleasedAt { get; private set; }

    /// <summary>When the register erased the data, as the register reported it.</summary>
    public DateTimeOffset? ErasedAt { get; private set; }

    /// <summary>The first Finnish calendar day on which the data may be erased.</summary>
    public DateOnly MayBeErasedOn => RetainUntil.AddDays(1);

    public bool IsDue(DateOnly today) => Status == LegalHoldStatus.Scheduled && today >= MayBeErasedOn;

    /// <summary>The retention period has ended: the register is to erase the data now.</summary>
    public void Release(DateTimeOffset at)
    {
        if (Status != LegalHoldStatus.Scheduled)
        {
            throw new InvalidOperationException($"Hold {Id} is {Status}; only a scheduled hold can be released.");
        }

        Status = LegalHoldStatus.Released;
        ReleasedAt = at;
    }

    /// <summary>
    /// The register erased the data. Accepted in any state: data that is gone is gone, even if the register erased it
    /// before the sweep released the hold. The first report wins.
    /// </summary>
    public void RecordErased(DateTimeOffset at)
    {
        if (Status == LegalHoldStatus.Erased)
        {
            return;
        }

        Status = LegalHoldStatus.Erased;
        // The time comes from another service, which may write it in Finnish time; the column holds UTC instants.
        ErasedAt = at.ToUniversalTime();
    }
}

public enum LegalHoldStatus
{
    /// <summary>Kept under law, processing restricted, waiting for its period to end.</summary>
    Scheduled,

    /// <summary>The period has ended and the register was told to erase.</summary>
    Released,

    /// <summary>The register confirmed the erasure.</summary>
    Erased,
}

/// <summary>How the statuses are spelt in the API and in the database.</summary>
public static class LegalHoldStatuses
{
    public const string Scheduled = "scheduled";
    public const string Released = "released";
    public const string Erased = "erased";

    public static IReadOnlyList<string> All { get; } = [Scheduled, Released, Erased];

    public static string Name(LegalHoldStatus status) => status switch
    {
        LegalHoldStatus.Scheduled => Scheduled,
        LegalHoldStatus.Released => Released,
        LegalHoldStatus.Erased => Erased,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static LegalHoldStatus Parse(string name) => TryParse(name, out var status)
        ? status
        : throw new ArgumentOutOfRangeException(nameof(name), name, $"Unknown legal hold status; use one of {string.Join(", ", All)}.");

    public static bool TryParse(string? name, out LegalHoldStatus status)
    {
        switch (name)
        {
            case Scheduled:
                status = LegalHoldStatus.Scheduled;
                return true;
            case Released:
                status = LegalHoldStatus.Released;
                return true;
            case Erased:
                status = LegalHoldStatus.Erased;
                return true;
            default:
                status = default;
                return false;
        }
    }
}
