namespace Procexon.Contracts;

/// <summary>
/// The legal basis each register processes each of its data categories under, as the privacy notice reads. Portability
/// (Art 20(1)) covers only what rests on consent or contract; access (Art 15) covers everything.
/// </summary>
public static class CategoryLegalBases
{
    private static readonly Dictionary<(string Register, string Category), string> s_bases = new()
    {
        [("customers", "basic-data")] = LegalBases.Contract,
        [("customers", "personal-identity-code")] = LegalBases.Contract,
        [("customers", "customer-contract")] = LegalBases.Contract,
        [("customers", "event-registrations")] = LegalBases.Consent,
        [("customers", "consent-data")] = LegalBases.Consent,
        [("suppliers", "basic-data")] = LegalBases.LegitimateInterest,
        [("suppliers", "customer-contract")] = LegalBases.Contract,
        [("marketing", "basic-data")] = LegalBases.LegitimateInterest,
        [("marketing", "event-registrations")] = LegalBases.Consent,
        [("marketing", "direct-marketing")] = LegalBases.LegitimateInterest,
        [("marketing", "consent-data")] = LegalBases.Consent,
        [("stakeholders", "basic-data")] = LegalBases.LegitimateInterest,
        [("stakeholders", "event-registrations")] = LegalBases.Consent,
        [("stakeholders", "consent-data")] = LegalBases.Consent,
        [("web-users", "basic-data")] = LegalBases.Contract,
        [("web-users", "credentials")] = LegalBases.Contract,
        [("web-users", "usage-data")] = LegalBases.LegitimateInterest,
        [("web-users", "consent-data")] = LegalBases.Consent,
        [("contacts", "basic-data")] = LegalBases.LegitimateInterest,
        [("email-archive", "basic-data")] = LegalBases.LegitimateInterest,
        [("email-archive", "correspondence")] = LegalBases.LegitimateInterest,
        [("email-archive", "customer-contract")] = LegalBases.Contract,
        [("email-archive", "accounting-material")] = LegalBases.Law,
        [("employees", "basic-data")] = LegalBases.Contract,
        [("employees", "credentials")] = LegalBases.Contract,
        [("employees", "employment")] = LegalBases.Contract,
        [("employees", "personal-identity-code")] = LegalBases.Law,
        [("employees", "payroll")] = LegalBases.Law,
        [("backups", "backup-copies")] = LegalBases.LegitimateInterest,
    };

    /// <summary>
    /// The basis of <paramref name="category"/> in <paramref name="register"/>. Accounting material is all held under
    /// law; anything the notice does not name falls to legitimate interest, which portability leaves out.
    /// </summary>
    public static string Of(string register, string category) =>
        register == "accounting-payroll" ? LegalBases.Law
        : s_bases.TryGetValue((register, category), out var basis) ? basis
        : LegalBases.LegitimateInterest;

    /// <summary>Art 20(1)(a): data provided under consent or contract is portable; under law or legitimate interest it is not.</summary>
    public static bool IsPortable(string legalBasis) => legalBasis is LegalBases.Consent or LegalBases.Contract;
}
