using System.Globalization;
using System.Text;

namespace Procexon.RightsRequests.Model;

/// <summary>The answer to the subject of a completed erasure request, in one language: the letter and its facts.</summary>
public sealed record ErasureAnswer(
    Guid RequestId,
    string Language,
    string Subject,
    string Text,
    IReadOnlyList<ErasedInRegister> Erased,
    IReadOnlyList<KeptUnderLaw> Retained,
    IReadOnlyList<InformedRecipient> Recipients,
    IReadOnlyList<KeptUnderLegalHold> Held);

/// <summary>A register where the subject's data was erased, anonymised or put beyond use.</summary>
public sealed record ErasedInRegister(string Register, string Name, string Outcome, int RecordsErased, string? Note);

/// <summary>Data kept under law, processing restricted (Art 17(3)(b)), until the date it may go.</summary>
public sealed record KeptUnderLaw(
    string Register,
    string RegisterName,
    string Category,
    string CategoryName,
    string RetentionRule,
    string Statute,
    DateOnly RetainUntil,
    int Records);

/// <summary>Data a legal hold placed by a person keeps (Art 17(3)(e)), processing restricted, until the hold is lifted.</summary>
public sealed record KeptUnderLegalHold(string Register, string RegisterName, string Category, string CategoryName, string Basis, string BasisText, int Records);

/// <summary>A recipient told of the erasure (Art 19) and when it confirmed.</summary>
public sealed record InformedRecipient(string Recipient, string Name, DateTimeOffset? ConfirmedAt);

/// <summary>
/// Writes the answer to an erasure request (GDPR Art 12(1), 17, 19): what was erased and where, what the law keeps,
/// under which statute and until when, what became of the backups, which recipients were told and confirmed, and the
/// right to complain to the Data Protection Ombudsman. Finnish or English; pure.
/// </summary>
public static class ErasureAnswerLetter
{
    public const string Finnish = "fi";
    public const string English = "en";

    public static readonly IReadOnlyList<string> Languages = [Finnish, English];

    private const string Controller = "Procexon Oy";
    private const string ControllerAddress = "Huoltomiehentie 7, 21420 Lieto";

    private static readonly CultureInfo s_finnish = CultureInfo.GetCultureInfo("fi-FI");
    private static readonly CultureInfo s_english = CultureInfo.GetCultureInfo("en-GB");

    public static ErasureAnswer Compose(RightsRequest request, string language)
    {
        if (!Languages.Contains(language))
        {
            throw new ArgumentOutOfRangeException(nameof(language), language, "The answer is written in fi or en.");
        }

        var fi = language == Finnish;
        string T(string finnish, string english) => fi ? finnish : english;

        var byName = StringComparer.Create(fi ? s_finnish : s_english, ignoreCase: false);
        var answered = request.Registers.Where(r => !r.IsPending).OrderBy(r => r.Name.In(language), byName).ToList();
        var held = answered.Where(r => r.Outcome != ErasureOutcomes.NotHeld).ToList();
        var backups = held.Where(r => r.Outcome == ErasureOutcomes.BeyondUse).ToList();
        var erased = held.Where(r => r.Outcome != ErasureOutcomes.BeyondUse
            && (r.Outcome is not (ErasureOutcomes.RetainedUnderLaw or ErasureOutcomes.RetainedUnderLegalHold) || r.RecordsErased > 0)).ToList();
        var kept = held.Where(r => r.Outcome != ErasureOutcomes.BeyondUse)
            .SelectMany(r => r.Retained.Select(item => (Register: r, Item: item)))
            .OrderBy(k => k.Register.Name.In(language), byName)
            .ThenBy(k => k.Item.RetainUntil)
            .ToList();
        var underHold = held.Where(r => r.Outcome != ErasureOutcomes.BeyondUse)
            .SelectMany(r => r.Held.Select(item => (Register: r, Item: item)))
            .OrderBy(k => k.Register.Name.In(language), byName)
            .ThenBy(k => k.Item.Category, StringComparer.Ordinal)
            .ToList();
        var recipients = request.Recipients.OrderBy(r => NameOf(r, language), byName).ToList();

        var text = new StringBuilder();
        var name = request.Subject.Name;
        text.AppendLine(name is null ? T("Hyvä vastaanottaja,", "Dear Sir or Madam,") : T($"Hyvä {name},", $"Dear {name},"));
        text.AppendLine();

        var verified = request.VerifiedAt is { } verifiedAt
            ? T($" ja henkilöllisyytesi varmistettiin {When(verifiedAt)}", $" and verified your identity on {When(verifiedAt)}")
            : string.Empty;
        Paragraph(text,
            T("Olemme käsitelleet pyyntösi poistaa henkilötietosi (EU:n yleisen tietosuoja-asetuksen 17 artikla, ”oikeus tulla unohdetuksi”). ",
                "We have handled your request to erase your personal data (Article 17 of the EU General Data Protection Regulation, the “right to be forgotten”). ")
            + T($"Saimme pyyntösi {When(request.ReceivedAt)}{verified}. ", $"We received your request on {When(request.ReceivedAt)}{verified}. ")
            + (request.CompletedAt is { } completedAt
                ? T($"Pyyntösi käsittely valmistui {When(completedAt)}. ", $"We completed it on {When(completedAt)}. ")
                : string.Empty)
            + T("Alla kerromme, miten pyyntösi toteutettiin.", "Below is how we carried out your request."));

        if (held.Count == 0)
        {
            Paragraph(text, T("Emme löytäneet rekistereistämme sinua koskevia tietoja, joten poistettavaa ei ollut.",
                "We found no data about you in our registers, so there was nothing to erase."));
        }

        if (erased.Count > 0)
        {
            text.AppendLine(T("Poistetut tiedot", "What we erased"));
            text.AppendLine(T("Poistimme tietosi seuraavista rekistereistä:", "We erased your data in these registers:"));
            foreach (var register in erased)
            {
                var count = register.RecordsErased > 0 ? $" ({Records(register.RecordsErased)})" : string.Empty;
                var line = register.Outcome switch
                {
                    ErasureOutcomes.Anonymised => T($"{count}: tiedot anonymisoitiin, joten niitä ei voi enää yhdistää sinuun.",
                        $"{count}: the data was anonymised, so it can no longer be linked to you."),
                    ErasureOutcomes.RetainedUnderLaw => T($"{count}; lain edellyttämät tiedot säilytetään, ks. alla.",
                        $"{count}; what the law requires us to keep is listed below."),
                    ErasureOutcomes.RetainedUnderLegalHold => T($"{count}; oikeudellisen vaateen vuoksi säilytettävät tiedot, ks. alla.",
                        $"{count}; what we must keep for legal claims is listed below."),
                    _ => count,
                };
                text.AppendLine($"- {register.Name.In(language)}{line}");
                if (register.Note is { } note)
                {
                    text.AppendLine($"  {note.In(language)}");
                }
            }

            text.AppendLine();
        }

        if (kept.Count > 0)
        {
            text.AppendLine(T("Säilytettävät tiedot", "What we keep, and why"));
            text.AppendLine(T(
                "Osa tiedoistasi on lain mukaan säilytettävä määräajan, joten emme voi vielä poistaa niitä (tietosuoja-asetuksen 17 artiklan 3 kohdan b alakohta). "
                    + "Näiden tietojen käsittelyä on rajoitettu: säilytämme niitä ainoastaan lakisääteisen velvoitteen vuoksi emmekä käytä niitä mihinkään muuhun. "
                    + "Poistamme ne, kun säilytysaika päättyy.",
                "The law requires us to keep some of your data for a fixed period, so we cannot erase it yet (GDPR Article 17(3)(b)). "
                    + "Processing of this data is restricted: we keep it only to meet that legal obligation and use it for nothing else. "
                    + "We will erase it when the retention period ends."));
            foreach (var (register, item) in kept)
            {
                var category = DataCategoryNames.Of(item.Category, language);
                text.AppendLine(T(
                    $"- {register.Name.Fi}: {category} ({Records(item.Records)}) säilytetään {Date(item.RetainUntil)} asti.",
                    $"- {register.Name.En}: {category} ({Records(item.Records)}), kept until {Date(item.RetainUntil)}."));
                text.AppendLine(T($"  Peruste: {Sentence(item.Statute.Fi)}", $"  Legal basis: {Sentence(item.Statute.En)}"));
            }

            text.AppendLine();
        }

        if (underHold.Count > 0)
        {
            text.AppendLine(T("Oikeudellisen vaateen vuoksi säilytettävät tiedot", "What we keep for legal claims"));
            text.AppendLine(T(
                "Osa tiedoistasi tarvitaan oikeudellisen vaateen laatimiseen, esittämiseen tai puolustamiseen, joten emme voi vielä poistaa niitä (tietosuoja-asetuksen 17 artiklan 3 kohdan e alakohta). "
                    + "Näiden tietojen käsittelyä on rajoitettu: säilytämme niitä ainoastaan tätä tarkoitusta varten. "
                    + "Poistamme ne, kun niitä ei enää tarvita tähän, ellei laki edellytä niiden säilyttämistä pidempään.",
                "Some of your data is needed for the establishment, exercise or defence of legal claims, so we cannot erase it yet (GDPR Article 17(3)(e)). "
                    + "Processing of this data is restricted: we keep it only for that purpose. "
                    + "We will erase it when it is no longer needed for it, unless the law requires us to keep it longer."));
            foreach (var (register, item) in underHold)
            {
                var category = DataCategoryNames.Of(item.Category, language);
                text.AppendLine($"- {register.Name.In(language)}: {category} ({Records(item.Records)})");
                text.AppendLine(T($"  Peruste: {Sentence(Capitalised(LegalHoldBases.TextOf(item.Basis).Fi))}",
                    $"  Legal basis: {Sentence(LegalHoldBases.TextOf(item.Basis).En)}"));
            }

            text.AppendLine();
        }

        if (backups.Count > 0)
        {
            text.AppendLine(T("Varmuuskopiot", "Backups"));
            text.AppendLine(T("Tietojasi on myös varmuuskopioissamme.", "Your data is also in our backups."));
            foreach (var register in backups)
            {
                text.AppendLine(register.Note?.In(language) ?? BeyondUse(register, language));
            }

            text.AppendLine();
        }

        if (held.Count > 0 && answered.Count > held.Count)
        {
            Paragraph(text, T("Muissa rekistereissämme ei ollut sinua koskevia tietoja.", "Our other registers held no data about you."));
        }

        text.AppendLine(T("Tietojesi vastaanottajat", "Recipients of your data"));
        if (recipients.Count == 0)
        {
            text.AppendLine(T(
                "Tietojasi ei ole luovutettu muille, joten poistosta ei tarvinnut ilmoittaa kenellekään (tietosuoja-asetuksen 19 artikla).",
                "Your data had not been disclosed to anyone else, so there was nobody else to tell of the erasure (GDPR Article 19)."));
        }
        else
        {
            text.AppendLine(T(
                "Ilmoitimme poistosta tietosuoja-asetuksen 19 artiklan mukaisesti kaikille, joille tietojasi on luovutettu, ja kaikki ovat vahvistaneet poistaneensa tietosi:",
                "As Article 19 of the GDPR requires, we told everyone to whom your data had been disclosed about the erasure, and each of them has confirmed that it has erased your data:"));
            foreach (var recipient in recipients)
            {
                var confirmed = recipient.ConfirmedAt is { } at
                    ? T($": vahvisti poiston {When(at)}", $": confirmed on {When(at)}")
                    : string.Empty;
                text.AppendLine($"- {NameOf(recipient, language)}{confirmed}");
            }
        }

        text.AppendLine();
        Paragraph(text, T(
            "Jos sinulla on kysyttävää, vastaamme mielellämme. Jos katsot, että henkilötietojesi käsittelyssä on rikottu tietosuojasäännöksiä, "
                + "sinulla on oikeus tehdä valitus valvontaviranomaiselle, joka Suomessa on tietosuojavaltuutettu (tietosuojavaltuutetun toimisto, tietosuoja.fi).",
            "If you have any questions, we will be glad to answer them. If you consider that the processing of your personal data infringes data protection law, "
                + "you have the right to lodge a complaint with the supervisory authority, which in Finland is the Data Protection Ombudsman (tietosuoja.fi)."));
        text.AppendLine(T("Ystävällisin terveisin", name is null ? "Yours faithfully," : "Yours sincerely,"));
        text.AppendLine();
        text.AppendLine(Controller);
        text.AppendLine(ControllerAddress);
        text.AppendLine();
        text.Append(T($"Pyynnön tunnus: {request.Id}", $"Request reference: {request.Id}"));

        return new ErasureAnswer(
            request.Id,
            language,
            T("Vastaus henkilötietojen poistamista koskevaan pyyntöösi", "Reply to your request to erase your personal data"),
            text.ToString().ReplaceLineEndings("\n"),
            [.. erased.Concat(backups).Select(r => new ErasedInRegister(r.Register, r.Name.In(language), r.Outcome!, r.RecordsErased, r.Note?.In(language)))],
            [.. kept.Select(k => new KeptUnderLaw(
                k.Register.Register, k.Register.Name.In(language), k.Item.Category, DataCategoryNames.Of(k.Item.Category, language),
                k.Item.RetentionRule, k.Item.Statute.In(language), k.Item.RetainUntil, k.Item.Records))],
            [.. recipients.Select(r => new InformedRecipient(r.Recipient, NameOf(r, language), r.ConfirmedAt))],
            [.. underHold.Select(k => new KeptUnderLegalHold(
                k.Register.Register, k.Register.Name.In(language), k.Item.Category, DataCategoryNames.Of(k.Item.Category, language),
                k.Item.Basis, LegalHoldBases.TextOf(k.Item.Basis).In(language), k.Item.Records))]);

        string Records(int count) => fi
            ? count == 1 ? "1 tietue" : $"{count} tietuetta"
            : count == 1 ? "1 record" : $"{count} records";

        string Date(DateOnly date) => FormatDate(date, language);

        // Instants are told as the day they fell on in Finland, where the controller is.
        string When(DateTimeOffset instant) => Date(AnswerPeriod.FinnishDate(instant));
    }

    /// <summary>Finnish <c>31.12.2031</c>, English <c>31 December 2031</c>.</summary>
    public static string FormatDate(DateOnly date, string language) => language == Finnish
        ? date.ToString("d.M.yyyy", CultureInfo.InvariantCulture)
        : date.ToString("d MMMM yyyy", s_english);

    private static string BeyondUse(RegisterAnswer register, string language)
    {
        var until = register.Retained.Count > 0 ? register.Retained.Max(r => r.RetainUntil) : (DateOnly?)null;
        return language == Finnish
            ? "Varmuuskopioita ei voi muokata valikoiden, joten tietosi on niissä merkitty käyttökelvottomiksi: niitä ei käsitellä eikä palauteta, vaikka varmuuskopio otettaisiin käyttöön. "
                + (until is { } fiDate ? $"Ne poistuvat lopullisesti varmuuskopioiden kierrossa viimeistään {FormatDate(fiDate, language)}." : "Ne poistuvat lopullisesti varmuuskopioiden kierrossa.")
            : "Backups cannot be edited selectively, so your data in them is marked beyond use: it is not processed and is excluded from any restore, "
                + (until is { } enDate ? $"and it is gone when the backups rotate out, at the latest on {FormatDate(enDate, language)}." : "and it is gone when the backups rotate out.");
    }

    private static string NameOf(RecipientAnswer recipient, string language) => recipient.Name?.In(language) ?? recipient.Recipient;

    private static string Sentence(string text) => text.EndsWith('.') ? text : text + ".";

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static void Paragraph(StringBuilder text, string paragraph)
    {
        text.AppendLine(paragraph);
        text.AppendLine();
    }
}
