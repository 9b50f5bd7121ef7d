namespace Procexon.RightsRequests.Model;

/// <summary>
/// Short names of the data categories of the privacy notice, for the answer letter (the catalogue's own names are
/// whole descriptions). An unknown code reads as itself.
/// </summary>
public static class DataCategoryNames
{
    private static readonly Dictionary<string, LocalizedText> s_names = new(StringComparer.Ordinal)
    {
        ["basic-data"] = new("perustiedot, kuten nimi ja yhteystiedot", "basic data such as name and contact details"),
        ["personal-identity-code"] = new("henkilötunnus", "personal identity code"),
        ["credentials"] = new("käyttäjätunnukset ja salasanat", "user names and passwords"),
        ["customer-contract"] = new("asiakkuus- ja sopimustiedot", "customer and contract data"),
        ["usage-data"] = new("palvelun käyttötiedot", "data on your use of our services"),
        ["event-registrations"] = new("tapahtumailmoittautumiset", "event registrations"),
        ["consent-data"] = new("suostumukset ja niiden perusteella kerätyt tiedot", "consents and the data collected with them"),
        ["direct-marketing"] = new("suoramarkkinoinnin tiedot", "direct-marketing data"),
        ["correspondence"] = new("sähköpostiviestit", "e-mail messages"),
        ["accounting-material"] = new("kirjanpitoaineisto", "accounting material"),
        ["payroll"] = new("palkanlaskennan tiedot", "payroll data"),
        ["employment"] = new("työsuhteen tiedot", "employment data"),
        ["backup-copies"] = new("varmuuskopiot", "backup copies"),
    };

    public static string Of(string category, string language) =>
        s_names.TryGetValue(category, out var name) ? name.In(language) : category.Replace('-', ' ');
}
