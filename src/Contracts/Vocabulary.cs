namespace Procexon.Contracts;

// The privacy notice's words as the services spell them, in one place so that every service validates alike.

/// <summary>The data categories of the privacy notice, as the platform spells them.</summary>
public static class DataCategories
{
    public static IReadOnlyList<string> All { get; } =
    [
        "basic-data",
        "personal-identity-code",
        "credentials",
        "customer-contract",
        "usage-data",
        "event-registrations",
        "direct-marketing",
        "consent-data",
        "employment",
        "payroll",
        "accounting-material",
        "correspondence",
        "backup-copies",
    ];

    public static bool IsKnown(string value) => All.Contains(value, StringComparer.Ordinal);
}

/// <summary>Where the notice says personal data come from (its section on sources), as the catalogue spells them.</summary>
public static class RegisterSources
{
    public static IReadOnlyList<string> All { get; } =
    [
        "subject",
        "derived",
        "trade-register",
        "dvv",
        "suomen-asiakastieto",
        "fonecta",
        "other-service-providers",
        "employer-records",
    ];
}

/// <summary>The legal bases of GDPR Art 6(1) that the privacy notice names, as the platform spells them.</summary>
public static class LegalBases
{
    public const string Consent = "consent";
    public const string Contract = "contract";
    public const string Law = "law";
    public const string LegitimateInterest = "legitimate-interest";

    public static IReadOnlyList<string> All { get; } = [Consent, Contract, Law, LegitimateInterest];

    public static bool IsKnown(string value) => All.Contains(value, StringComparer.Ordinal);
}
