using System.Globalization;
using System.Text;

namespace Procexon.RightsRequests.Model;

/// <summary>The answer to the subject of a request other than erasure, in one language: the letter and its facts.</summary>
public sealed record RightsAnswer(
    Guid RequestId,
    string Type,
    string Language,
    string Subject,
    string Text,
    bool HoldsData,
    IReadOnlyList<RegisterLine> Registers,
    IReadOnlyList<InformedRecipient> Recipients,
    string? Export,
    string? LiftingNotice);

/// <summary>What one register did for the request.</summary>
public sealed record RegisterLine(string Register, string Name, string Outcome, int Records, string? Note);

/// <summary>
/// Writes the answer to an access, rectification, restriction, portability or objection request (GDPR Art 12, 15,
/// 16, 18, 19, 20, 21): what was done in which register, the catalogue's account for access, the recipients told of a
/// rectification or a restriction and when each confirmed, the notice that a restriction will be lifted, and the right to complain to the Data Protection
/// Ombudsman. A subject we do not hold is told so. Finnish or English; pure.
/// </summary>
public static class RightsAnswerLetter
{
    private static readonly CultureInfo s_finnish = CultureInfo.GetCultureInfo("fi-FI");
    private static readonly CultureInfo s_english = CultureInfo.GetCultureInfo("en-GB");

    public static RightsAnswer Compose(RightsRequest request, IReadOnlyList<RegisterDataCopy> copies, string language)
    {
        if (!ErasureAnswerLetter.Languages.Contains(language))
        {
            throw new ArgumentOutOfRangeException(nameof(language), language, "The answer is written in fi or en.");
        }

        var fi = language == ErasureAnswerLetter.Finnish;
        string T(string finnish, string english) => fi ? finnish : english;
        string When(DateTimeOffset instant) => ErasureAnswerLetter.FormatDate(AnswerPeriod.FinnishDate(instant), language);
        string Records(int count) => fi
            ? count == 1 ? "1 tietue" : $"{count} tietuetta"
            : count == 1 ? "1 record" : $"{count} records";

        var byName = StringComparer.Create(fi ? s_finnish : s_english, ignoreCase: false);
        var acted = request.Registers
            .Where(r => r.Outcome is not null and not RightOutcomes.NotHeld)
            .OrderBy(r => r.Name.In(language), byName)
            .ToList();
        var holdsData = !request.HoldsNoData;
        var copyOf = copies.ToDictionary(c => c.Register, StringComparer.Ordinal);

        var text = new StringBuilder();
        var name = request.Subject.Name;
        text.AppendLine(name is null ? T("Hyvä vastaanottaja,", "Dear Sir or Madam,") : T($"Hyvä {name},", $"Dear {name},"));
        text.AppendLine();

        var (whatFi, whatEn) = What(request);
        var verified = request.VerifiedAt is { } verifiedAt
            ? T($" ja henkilöllisyytesi varmistettiin {When(verifiedAt)}", $" and verified your identity on {When(verifiedAt)}")
            : string.Empty;
        Paragraph(text,
            T($"Olemme käsitelleet pyyntösi: {whatFi}. ", $"We have handled your request: {whatEn}. ")
            + T($"Saimme pyyntösi {When(request.ReceivedAt)}{verified}. ", $"We received your request on {When(request.ReceivedAt)}{verified}. ")
            + (request.CompletedAt is { } completedAt ? T($"Käsittely valmistui {When(completedAt)}.", $"We completed it on {When(completedAt)}.") : string.Empty));

        if (!holdsData && request.Right != SubjectRights.ObjectionToDirectMarketing && request.Decision is not { Upheld: false })
        {
            Paragraph(text, T(
                "Emme käsittele sinua koskevia henkilötietoja: yksikään rekistereistämme ei sisällä tietoja sinusta.",
                "We hold no data on you: none of our registers contains personal data about you."));
        }
        else
        {
            switch (request.Type)
            {
                case RequestType.Access:
                    WriteAccess(text, acted, copyOf, language, T, Records);
                    break;
                case RequestType.Portability:
                    text.AppendLine(T("Siirrettävät tiedot", "Your data to take with you"));
                    text.AppendLine(T(
                        "Liitteenä (zip) ovat tiedot, jotka olet itse antanut meille suostumuksesi tai sopimuksen perusteella, JSON- ja CSV-muodossa. "
                            + "Lain tai oikeutetun edun perusteella käsiteltävät tiedot eivät kuulu siirto-oikeuden piiriin (tietosuoja-asetuksen 20 artikla); saat ne halutessasi tarkastusoikeudella.",
                        "Enclosed (zip) is the data you gave us yourself under your consent or a contract, as JSON and CSV. "
                            + "Data processed under law or legitimate interest is not covered by the right to data portability (GDPR Article 20); you can see it by asking for access."));
                    WriteLines(text, acted, language, r => Records(r.RecordsErased));
                    break;
                case RequestType.Rectification:
                    text.AppendLine(T("Oikaistut tiedot", "What we corrected"));
                    text.AppendLine(T(
                        $"Oikaisimme seuraavat tiedot: {string.Join(", ", request.Corrections.Select(c => FieldName(c.Field, fi)))}.",
                        $"We corrected: {string.Join(", ", request.Corrections.Select(c => FieldName(c.Field, fi)))}."));
                    WriteLines(text, acted, language, r => r.Outcome == RightOutcomes.Rectified
                        ? T($"oikaistu ({Records(r.RecordsErased)})", $"corrected ({Records(r.RecordsErased)})")
                        : T("tiedot olivat jo oikein", "already correct"));
                    WriteRecipients(text, request, language, T, When);
                    break;
                case RequestType.Restriction:
                    text.AppendLine(T("Käsittelyn rajoittaminen", "Restriction of processing"));
                    text.AppendLine(T(
                        "Tietojasi säilytetään, mutta niitä ei käsitellä muuten kuin suostumuksellasi tai oikeusvaateen vuoksi (tietosuoja-asetuksen 18 artikla). Kerromme sinulle ennen kuin rajoitus poistetaan.",
                        "Your data is kept but not otherwise processed without your consent or for legal claims (GDPR Article 18). We will tell you before the restriction is lifted."));
                    WriteLines(text, acted, language, r => T($"rajoitettu ({Records(r.RecordsErased)})", $"restricted ({Records(r.RecordsErased)})"));
                    WriteRecipients(text, request, language, T, When);
                    break;
                case RequestType.Objection when request.Right == SubjectRights.ObjectionToDirectMarketing:
                    text.AppendLine(T("Suoramarkkinointi", "Direct marketing"));
                    foreach (var register in acted)
                    {
                        text.AppendLine(register.Note?.In(language) ?? register.Name.In(language));
                    }

                    text.AppendLine();
                    break;
                case RequestType.Objection when request.Decision is { } decision:
                    text.AppendLine(T("Vastustamisoikeus", "Your objection"));
                    text.AppendLine(decision.Upheld
                        ? T($"Hyväksyimme vastustuksesi {When(decision.DecidedAt)}: {decision.Reason} Oikeutetun edun perusteella tapahtuva käsittely on rajoitettu seuraavissa rekistereissä:",
                            $"We upheld your objection on {When(decision.DecidedAt)}: {decision.Reason} Processing under legitimate interest is restricted in these registers:")
                        : T($"Emme voi hyväksyä vastustustasi (tietosuoja-asetuksen 21 artiklan 1 kohta): {decision.Reason}",
                            $"We cannot uphold your objection (GDPR Article 21(1)): {decision.Reason}"));
                    if (decision.Upheld)
                    {
                        WriteLines(text, acted, language, r => T($"rajoitettu ({Records(r.RecordsErased)})", $"restricted ({Records(r.RecordsErased)})"));
                        WriteRecipients(text, request, language, T, When);
                    }
                    else
                    {
                        text.AppendLine();
                    }

                    break;
            }
        }

        Paragraph(text, T(
            "Jos katsot, että henkilötietojesi käsittelyssä on rikottu tietosuojasäännöksiä, sinulla on oikeus tehdä valitus valvontaviranomaiselle, "
                + "joka Suomessa on tietosuojavaltuutettu (tietosuojavaltuutetun toimisto, PL 800, 00531 Helsinki, tietosuoja.fi).",
            "If you consider that the processing of your personal data infringes data protection law, you have the right to lodge a complaint with the "
                + "supervisory authority, which in Finland is the Data Protection Ombudsman (tietosuojavaltuutettu; PO Box 800, 00531 Helsinki, tietosuoja.fi)."));
        text.AppendLine(T("Ystävällisin terveisin", name is null ? "Yours faithfully," : "Yours sincerely,"));
        text.AppendLine();
        text.AppendLine(RightsExports.Controller.Name);
        text.AppendLine(RightsExports.Controller.Address);
        text.AppendLine();
        text.Append(T($"Pyynnön tunnus: {request.Id}", $"Request reference: {request.Id}"));

        return new RightsAnswer(
            request.Id,
            RequestText.Kebab(request.Type),
            language,
            T($"Vastaus pyyntöösi: {whatFi}", $"Reply to your request: {whatEn}"),
            text.ToString().ReplaceLineEndings("\n"),
            holdsData,
            [.. acted.Select(r => new RegisterLine(r.Register, r.Name.In(language), r.Outcome!, r.RecordsErased, r.Note?.In(language)))],
            [.. request.Recipients.OrderBy(r => r.Recipient, StringComparer.Ordinal)
                .Select(r => new InformedRecipient(r.Recipient, r.Name?.In(language) ?? r.Recipient, r.ConfirmedAt))],
            RightsExports.HasExport(request.Type) && holdsData
                ? $"/api/requests/{request.Id}/export?format={(request.Type == RequestType.Portability ? RightsExports.Zip : RightsExports.Json)}"
                : null,
            request.Lifting is { } lifting ? LiftingNotice(request, lifting, language) : null);
    }

    /// <summary>
    /// The letter that tells the subject, before it happens, that their restriction will be lifted and why (Art 18(3)).
    /// </summary>
    public static string LiftingNotice(RightsRequest request, RestrictionLifting lifting, string language)
    {
        var fi = language == ErasureAnswerLetter.Finnish;
        var date = ErasureAnswerLetter.FormatDate(AnswerPeriod.FinnishDate(lifting.SubjectToldAt), language);
        var name = request.Subject.Name;
        var greeting = name is null ? (fi ? "Hyvä vastaanottaja," : "Dear Sir or Madam,") : (fi ? $"Hyvä {name}," : $"Dear {name},");
        return fi
            ? $"{greeting}\n\nIlmoitamme {date}, että henkilötietojesi käsittelyn rajoitus (pyyntö {request.Id}) poistetaan. Syy: {lifting.Reason}\n"
                + "Rajoituksen poistamisen jälkeen tietojasi käsitellään jälleen tietosuojaselosteessa kerrotuin tavoin (tietosuoja-asetuksen 18 artiklan 3 kohta).\n\n"
                + $"{RightsExports.Controller.Name}"
            : $"{greeting}\n\nWe tell you on {date} that the restriction of processing of your personal data (request {request.Id}) is being lifted. Reason: {lifting.Reason}\n"
                + "Once it is lifted, your data is processed again as our privacy notice describes (GDPR Article 18(3)).\n\n"
                + $"{RightsExports.Controller.Name}";
    }

    private static (string Fi, string En) What(RightsRequest request) => request.Type switch
    {
        RequestType.Access => ("tietojesi tarkastaminen (tietosuoja-asetuksen 15 artikla)", "access to your personal data (GDPR Article 15)"),
        RequestType.Rectification => ("tietojesi oikaiseminen (16 artikla)", "rectification of your personal data (Article 16)"),
        RequestType.Restriction => ("käsittelyn rajoittaminen (18 artikla)", "restriction of processing (Article 18)"),
        RequestType.Portability => ("tietojen siirtäminen järjestelmästä toiseen (20 artikla)", "data portability (Article 20)"),
        RequestType.Objection when request.ObjectionTo == ObjectionGrounds.DirectMarketing =>
            ("suoramarkkinoinnin vastustaminen (21 artiklan 2 ja 3 kohta)", "objection to direct marketing (Article 21(2) and (3))"),
        RequestType.Objection => ("käsittelyn vastustaminen (21 artiklan 1 kohta)", "objection to processing (Article 21(1))"),
        _ => ("henkilötietojen poistaminen (17 artikla)", "erasure of your personal data (Article 17)"),
    };

    private static void WriteAccess(
        StringBuilder text, List<RegisterAnswer> acted, Dictionary<string, RegisterDataCopy> copies, string language,
        Func<string, string, string> T, Func<int, string> records)
    {
        text.AppendLine(T("Tietosi rekistereittäin", "Your data, register by register"));
        text.AppendLine(T(
            "Liitteenä (JSON) on jäljennös kaikista sinua koskevista tiedoistamme, myös lain perusteella säilytettävistä. Alla kerromme kunkin rekisterin osalta, "
                + "mihin tarkoitukseen ja millä perusteella tietojasi käsitellään, mitä tietoryhmiä, mistä tiedot on saatu, kuinka kauan niitä säilytetään ja kenelle niitä voidaan luovuttaa.",
            "Enclosed (JSON) is a copy of all the data we hold about you, including what the law requires us to keep. Below, for each register: the purposes and legal bases "
                + "of the processing, the categories of data, where it came from, how long it is kept and to whom it may be disclosed."));
        text.AppendLine();
        foreach (var register in acted)
        {
            text.AppendLine($"{register.Name.In(language)} ({records(register.RecordsErased)})");
            if (copies.TryGetValue(register.Register, out var copy) && copy.Processing is { } processing)
            {
                var underLaw = copy.Records.Count(r => r.LegalBasis == LegalBases.Law);
                if (underLaw > 0)
                {
                    text.AppendLine(T($"  Lain velvoittamina säilytettäviä: {records(underLaw)}.", $"  Held because the law requires it: {records(underLaw)}."));
                }

                var restricted = copy.Records.Count(r => r.State != "active");
                if (restricted > 0)
                {
                    text.AppendLine(T($"  Käsittelyltään rajoitettuja: {records(restricted)}.", $"  Processing restricted: {records(restricted)}."));
                }

                text.AppendLine(T("  Tarkoitukset: ", "  Purposes: ")
                    + string.Join("; ", processing.Purposes.Select(p => $"{p.Text.In(language)} ({BasisName(p.LegalBasis, language)})")));
                text.AppendLine(T("  Tietoryhmät: ", "  Categories: ")
                    + string.Join("; ", copy.Records.Select(r => r.Category).Distinct().Select(c => DataCategoryNames.Of(c, language))));
                text.AppendLine(T("  Lähteet: ", "  Sources: ") + string.Join("; ", processing.Sources.Select(s => s.In(language))));
                text.AppendLine(T("  Säilytys: ", "  Retention: ") + processing.Retention.In(language));
                text.AppendLine(T("  Vastaanottajat: ", "  Recipients: ") + string.Join(", ", processing.Recipients));
            }
        }

        text.AppendLine();
    }

    private static void WriteLines(StringBuilder text, List<RegisterAnswer> acted, string language, Func<RegisterAnswer, string> what)
    {
        foreach (var register in acted)
        {
            text.AppendLine($"- {register.Name.In(language)}: {what(register)}");
            if (register.Note is { } note)
            {
                text.AppendLine($"  {note.In(language)}");
            }
        }

        text.AppendLine();
    }

    private static void WriteRecipients(
        StringBuilder text, RightsRequest request, string language, Func<string, string, string> T, Func<DateTimeOffset, string> when)
    {
        // A restriction, asked for or an upheld objection's, or a correction.
        var (whatFi, whatEn) = request.Type == RequestType.Rectification ? ("oikaisusta", "the correction") : ("rajoituksesta", "the restriction");
        // An upheld objection restricts only what rests on legitimate interest, so only its disclosures were told of: the
        // letter says so rather than claim the data went nowhere else.
        var (dataFi, dataEn) = request.Type == RequestType.Objection
            ? ("oikeutetun edun perusteella käsiteltyjä tietojasi", "your data processed under legitimate interest")
            : ("tietojasi", "your data");
        if (request.Recipients.Count == 0)
        {
            text.AppendLine(T($"{char.ToUpperInvariant(dataFi[0])}{dataFi[1..]} ei ole luovutettu muille, joten {whatFi} ei tarvinnut ilmoittaa kenellekään (19 artikla).",
                $"{char.ToUpperInvariant(dataEn[0])}{dataEn[1..]} had not been disclosed to anyone else, so there was nobody to tell of {whatEn} (Article 19)."));
        }
        else
        {
            text.AppendLine(T($"Ilmoitimme {whatFi} kaikille, joille {dataFi} on luovutettu (19 artikla):",
                $"We told everyone to whom {dataEn} had been disclosed of {whatEn} (Article 19):"));
            foreach (var recipient in request.Recipients.OrderBy(r => r.Recipient, StringComparer.Ordinal))
            {
                var confirmed = recipient.ConfirmedAt is { } at ? T($": vahvisti {when(at)}", $": confirmed on {when(at)}")
                    : request.IsSupersededByLifting(recipient)
                        ? T(": ei vahvistanut ennen rajoituksen poistamista, ja sille ilmoitettiin poistamisesta", ": had not confirmed when the restriction was lifted, and was told of the lifting")
                        : string.Empty;
                text.AppendLine($"- {recipient.Name?.In(language) ?? recipient.Recipient}{confirmed}");
            }
        }

        text.AppendLine();
    }

    private static string FieldName(string field, bool fi) => field switch
    {
        "name" => fi ? "nimi" : "name",
        "email" => fi ? "sähköpostiosoite" : "e-mail address",
        "phone" => fi ? "puhelinnumero" : "phone number",
        "address" => fi ? "osoite" : "address",
        "title" => fi ? "arvo tai ammatti" : "title",
        "organisation" => fi ? "organisaatio" : "organisation",
        _ => fi ? "toivottu yhteydenpitotapa" : "preferred contact channel",
    };

    private static string BasisName(string basis, string language) => (basis, language == ErasureAnswerLetter.Finnish) switch
    {
        (LegalBases.Consent, true) => "suostumus",
        (LegalBases.Contract, true) => "sopimus",
        (LegalBases.Law, true) => "laki",
        (_, true) => "oikeutettu etu",
        (LegalBases.LegitimateInterest, false) => "legitimate interest",
        (_, false) => basis,
    };

    private static void Paragraph(StringBuilder text, string paragraph)
    {
        text.AppendLine(paragraph);
        text.AppendLine();
    }
}
