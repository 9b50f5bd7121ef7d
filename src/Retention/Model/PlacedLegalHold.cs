namespace Procexon.Retention.Model;

/// <summary>
/// A legal hold a privacy officer placed on a subject's data, in one register or in all (<see cref="Register"/> null),
/// because the data is needed for legal claims (GDPR Art 17(3)(e)). While it is in force an erasure keeps what it
/// covers, restricted; once lifted, the Registry erases what it alone kept and reports back (<see cref="RecordsErased"/>).
/// Unlike <see cref="LegalHold"/>, which the law sets and the calendar ends, a person places it and a person lifts it.
/// </summary>
public sealed class PlacedLegalHold
{
    public const int MaxReasonLength = 2000;

    public required Guid Id { get; init; }

    public required Guid SubjectId { get; set; }

    /// <summary>The register's slug, or null for every register that holds the subject.</summary>
    public string? Register { get; init; }

    /// <summary>One of <see cref="LegalHoldBases"/>.</summary>
    public required string Basis { get; init; }

    /// <summary>Why, in the officer's words (the case, the claim); never shown to the subject.</summary>
    public required string Reason { get; init; }

    /// <summary>The token's user who placed it.</summary>
    public required string PlacedBy { get; init; }

    public required DateTimeOffset PlacedAt { get; init; }

    public string? LiftedBy { get; private set; }

    public DateTimeOffset? LiftedAt { get; private set; }

    public string? LiftReason { get; private set; }

    /// <summary>When the Registry reported erasing what the hold kept, and how many records.</summary>
    public DateTimeOffset? ErasedAt { get; private set; }

    public int? RecordsErased { get; private set; }

    public bool InForce => LiftedAt is null;

    /// <summary>Ends the hold; false when it had been lifted already (the first lifting stands).</summary>
    public bool Lift(string by, string reason, DateTimeOffset at)
    {
        if (!InForce)
        {
            return false;
        }

        LiftedBy = by;
        LiftReason = reason;
        LiftedAt = at;
        return true;
    }

    /// <summary>The Registry's report after the lifting; the first report wins.</summary>
    public void RecordErased(int records, DateTimeOffset at)
    {
        if (ErasedAt is not null)
        {
            return;
        }

        RecordsErased = records;
        // The time comes from another service; the column holds UTC instants.
        ErasedAt = at.ToUniversalTime();
    }
}
