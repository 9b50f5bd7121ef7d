namespace Procexon.Contracts;

// Legal holds placed by people (GDPR Art 17(3)(e)): a privacy officer keeps a subject's data, in every register or in
// one, for legal claims. Retention owns the holds; the Registry keeps what they cover through an erasure and erases it
// once the hold is lifted. Subjects travel as ids only; the reason for a hold stays in Retention.

/// <summary>Retention → Registry: from now on an erasure keeps what this hold covers (every register when <see cref="Register"/> is null).</summary>
public sealed record LegalHoldPlaced(Guid HoldId, Guid SubjectId, string? Register, string Basis, DateTimeOffset PlacedAt);

/// <summary>
/// Retention → Registry: the hold no longer keeps anything; what it alone kept through an erasure goes now. Carries the
/// hold's subject and register too, so a lift that overtakes its placement is still understood.
/// </summary>
public sealed record LegalHoldLifted(Guid HoldId, Guid SubjectId, string? Register, string Basis, DateTimeOffset LiftedAt);

/// <summary>
/// Registry → Retention: the data a lifted hold kept through an erasure is erased (<see cref="RecordsErased"/>);
/// <see cref="RecordsStillHeld"/> stay because another hold in force covers them too.
/// </summary>
public sealed record HeldDataErased(Guid HoldId, Guid SubjectId, int RecordsErased, int RecordsStillHeld, DateTimeOffset ErasedAt);

/// <summary>Data an erasure kept because a legal hold placed by a person covers it, restricted until the hold is lifted.</summary>
public sealed record HeldData(Guid SubjectId, string Category, Guid HoldId, string Basis, int Records);

/// <summary>Why a person may keep data an erasure would remove (GDPR Art 17(3)); the API spells them so.</summary>
public static class LegalHoldBases
{
    /// <summary>Art 17(3)(e): the establishment, exercise or defence of legal claims.</summary>
    public const string LegalClaims = "legal-claims";

    public static IReadOnlyList<string> All { get; } = [LegalClaims];

    public static bool IsKnown(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);

    /// <summary>The basis as the answer to the subject names it.</summary>
    public static LocalizedText TextOf(string basis) => basis switch
    {
        LegalClaims => new LocalizedText(
            "tietosuoja-asetuksen 17 artiklan 3 kohdan e alakohta: oikeudellisen vaateen laatiminen, esittäminen tai puolustaminen",
            "GDPR Article 17(3)(e): the establishment, exercise or defence of legal claims"),
        _ => new LocalizedText(basis, basis),
    };
}
