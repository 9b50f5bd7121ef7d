using Procexon.Registry.Notice;
using Procexon.Registry.Tests.Notice;

namespace Procexon.NoticeConformance.Tests;

/// <summary>
/// The Finnish notice generated from the seed catalogue says, section by section, what the seed notice says. Each key
/// phrase is checked in both texts: in the seed (so the phrase list really is the seed's) and in the generated notice.
/// A pair (seed, ours) stands where the notice words the same thing differently, e.g. a catalogue's purpose name.
/// </summary>
public sealed class FinnishNoticeMatchesSeedTests
{
    private readonly PrivacyNotice _notice = GeneratedNotice.Compose("fi");

    [Fact]
    public void Finnish_notice_has_the_seeds_ten_sections_with_the_same_numbers_and_headings_in_order()
    {
        var seed = SeedNotice.Sections.Select(s => (s.Number, s.Heading)).ToList();
        var ours = _notice.Sections.Select(s => (s.Number, Heading: SeedNotice.Normalise(s.Heading))).ToList();

        Assert.Equal(Enumerable.Range(1, 10), seed.Select(s => s.Number));
        Assert.Equal(seed, ours);
    }

    [Fact]
    public void Introduction_keeps_the_seeds_dates_and_purpose()
    {
        var ours = SeedNotice.Normalise(string.Join('\n', _notice.Introduction.Append(_notice.Dated)));

        AssertBoth(SeedNotice.Introduction, ours, "introduction",
            "laadittu 17.4.2018. viimeisin muutos 10.1.2024.",
            "procexon oy:n",
            "eu:n yleisen tietosuoja-asetuksen (gdpr)",
            "mitä oikeuksia sinulla on",
            "procexon oy:n tietosuojakäytännöt eivät ole enää voimassa siellä");
    }

    [Fact]
    public void Sections_1_and_2_name_the_controller_and_the_contact_person()
    {
        AssertSays(1, "procexon oy, huoltomiehentie 7, 21420 lieto", "muut yhteystiedot", "https://procexon.com");
        AssertSays(2, "mika kallioniemi", "contact@procexon.com");

        static string Digits(string text) => string.Concat(text.Where(char.IsAsciiDigit));
        Assert.Contains("0405826162", Digits(SeedNotice.Section(2).Text), StringComparison.Ordinal);
        Assert.Contains("0405826162", Digits(_notice.Section(2).Text()), StringComparison.Ordinal);
    }

    [Fact]
    public void Section_3_lists_all_ten_registers_of_the_seed_by_their_Finnish_names_in_order()
    {
        var seed = SeedNotice.Section(3).Bullets;
        var ours = _notice.Section(3).Bullets().Select(SeedNotice.Normalise).ToList();

        Assert.Equal(10, seed.Count);
        Assert.Equal(seed, ours);
        AssertSays(3, "yrityksellä on käytössään seuraavat rekisterit", "back office");
    }

    [Fact]
    public void Section_4_names_every_legal_basis_and_every_purpose_of_the_seed()
    {
        AssertSays(4,
            // the legal bases
            "henkilön suostumus (dokumentoitu, vapaaehtoinen, yksilöity, tietoinen ja yksiselitteinen)",
            "sopimus, jossa rekisteröity on osapuolena",
            "laki (esim. kirjanpitolaki)",
            "rekisterinpitäjän oikeutettu etu (esim. asiakassuhde, työsuhde, jäsenyys)",
            // the purposes, grouped by basis
            "sopimussuhteen perusteella palvelujen tuottamiseksi",
            "palveluiden tuottaminen ja siihen liittyvän hallinnoinnin mahdollistaminen",
            "palveluiden kehittäminen",
            "tietoturvan ylläpito",
            "oikeutetun edun perusteella",
            "voi käsitellä henkilötietojasi eu:n yleisen tietosuoja-asetuksen (gdpr) tarkoittaman oikeutetun edun perusteella",
            "suoramarkkinointi",
            "palveluiden henkilökohtaistaminen",
            "tilastollinen tarkoitus",
            "lakisääteisten velvoitteiden noudattamiseksi",
            "muihin tarkoituksiin, joihin olet antanut suostumuksesi",
            "joihin kysymme aina erikseen luvan",
            "pääasiallinen tarkoitus on yhteydenpito asiakkaisiin, asiakassuhteen ylläpito",
            "tietoja ei käytetä automatisoituun päätöksentekoon tai profilointiin",
            "vain käsittelyn tarkoituksen vaatimassa laajuudessa");
        AssertSays(4,
            ("kirjanpito- ja viranomaistarkoituksiin", "kirjanpito- ja viranomaistarkoitukset"),
            ("muihin ennalta määräämättömiin tarkoituksiin", "muut ennalta määräämättömät tarkoitukset"));
    }

    [Fact]
    public void Section_5_names_the_data_categories_and_the_four_retention_principles()
    {
        AssertSays(5,
            "lähes yksinomaan eri yritysten ja yhteisöjen sekä julkishallinnon henkilöistä",
            "käsittelemme seuraavantyyppisiä tietoja",
            "nimi ja yhteystiedot, toivottu yhteydenpitotapa, arvo tai ammatti",
            "sosiaalisen median tunnistetiedot",
            "henkilötunnus",
            "laskutusta varten",
            "käyttäjätunnukset ja salasanat",
            "asiakkuuteen ja sopimussuhteeseen liittyvät tiedot",
            "tilaaja- ja käyttäjätiedot",
            "luotonvalvontaan ja maksamiseen liittyvät tiedot, pankkiyhteystiedot",
            "(valtakirjat, valtuutukset)",
            "sähköposti- ja chat-viestit asiakaspalveluun",
            "palvelun käyttöä kuvaavat tiedot, myös evästeiden ja muiden vastaavien teknologioiden avulla internet- ja mobiiliselailun yhteydessä",
            "webinaareihin, luentoihin, koulutuksiin",
            "suoramarkkinointiin liittyvät luvat ja",
            "kiinnostuksen kohteet, uutiskirjeiden ja tapahtumakutsujen tilaukset",
            "suoramarkkinoinnin kohdentamiseen liittyvät tiedot",
            // the four retention principles
            "tietojen säilytysajat noudattavat seuraavia periaatteita",
            "sopimussuhteen perusteella käsiteltäviä tietoja säilytetään sopimussuhteen voimassaoloajan tai niin kauan kuin palveluiden toimittaminen sitä edellyttää (sopimus)",
            "oikeutetun edun perusteella tietoja säilytetään niin kauan kuin peruste on olemassa (oikeutettu etu)",
            "lakisääteisten velvoitteiden perusteella käsiteltäviä tietoja käsitellään ja säilytetään niin kauan kuin laissa edellytetään",
            "kirjanpito- tai rahanpesulainsäädännössä",
            "suostumuksellasi käsiteltävien tietojen säilytysaika määräytyy käsittelytarkoituksen mukaan");
        AssertSays(5, ("muut suostumuksellasi kerättävät", "muut suostumuksella kerättävät"));
    }

    [Fact]
    public void Section_6_names_every_source_and_every_recipient_of_the_seed()
    {
        AssertSays(6,
            "henkilötietojen kerääminen",
            "voimme kerätä henkilötietoja monilla tavoin",
            "asiakastyytyväisyystutkimukseen",
            "analytiikan avulla tehdyt päätelmät",
            "mahdollisista kiinnostuksen kohteista",
            "kaupparekister",
            "väestörekisterikesk", // the seed inflects it: "väestörekisterikeskuksesta"
            "suomen asiakastie",
            "fonecta",
            "henkilötietojasi voivat vastaanottaa");
        AssertSays(6, ("muilta palveluntarjoajilta", "muut palveluntarjoajat"));
        // The Population Register Centre is now the Digital and Population Data Services Agency (DVV).
        Assert.Contains("digi- ja väestötietovirasto", _notice.Section(6).Text(), StringComparison.Ordinal);

        var seed = SeedNotice.Section(6).Bullets;
        var ours = _notice.Section(6).Bullets().Select(SeedNotice.Normalise).ToList();
        Assert.Equal(6, seed.Count);
        Assert.All(seed, recipient => Assert.Contains(recipient, ours));
    }

    [Fact]
    public void Section_7_names_Finago_and_Verkko24_and_the_transfer_outside_the_EU_EEA_with_its_safeguard()
    {
        AssertSays(7,
            "tietoja ei luovuteta säännönmukaisesti muille tahoille",
            "samaan yritykseen nyt ja tulevaisuudessa kuuluvat yhtiöt",
            "sopimussuhteessa toimiva",
            "taloushallintojärjestelmän ylläpitäjä (finago)",
            "alustatarjoaja (verkko24.fi)",
            "oltava pääsy tarvittavaan asiakasaineistoon",
            "eivät saa käyttää henkilötietoja mihinkään muuhun kuin kanssamme sovitun palvelun tuottamiseen",
            "muille kolmansille osapuolille",
            "kysytään erikseen lupa",
            "pyynnöstä ja/tai lain velvoittamana",
            "toimivaltainen viranomainen niin lainvoimaisesti vaatii",
            "muissa lainsäädännön sallimissa tai edellyttämissä tilanteissa, esimerkiksi maksuhäiriötilanteissa",
            "referenssit",
            "eu:n tai eta:n ulkopuolelle",
            "fyysisesti",
            "asianmukaise");
        AssertSays(7, ("muille kolmansille osapuolille suostumuksellasi", "muut kolmannet osapuolet suostumuksellasi"));

        // The safeguard itself is the catalogue's: the Commission's standard contractual clauses.
        Assert.Contains("vakiosopimuslausekkeita", _notice.Section(7).Text(), StringComparison.Ordinal);
        Assert.Contains("tämä koskee kaikkia rekistereitä", _notice.Section(7).Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void Section_8_keeps_the_security_principles()
    {
        AssertSays(8,
            "huolellisuutta",
            "suojataan asianmukaisesti",
            "fyysisestä ja digitaalisesta tietoturvasta",
            "palvelimien käyttöoikeuksia",
            "käsitellään luottamuksellisesti",
            "joiden työnkuvaan se kuuluu");
    }

    [Fact]
    public void Sections_9_and_10_carry_the_rights_and_the_one_month_answer()
    {
        AssertSays(9,
            "tarkastusoikeus",
            "oikeus vaatia tiedon korjaamista",
            "virheellisen tiedon korjaamista tai puutteellisen tiedon täydentämistä",
            "oikaisua",
            "kirjallisesti rekisterinpitäjälle",
            "todistamaan henkilöllisyytensä",
            "tietosuoja-asetuksessa säädetyssä ajassa",
            "pääsääntöisesti kuukauden kuluessa");
        AssertSays(10,
            "oikeus tulla unohdetuksi",
            "käsittelyn rajoittami",
            "siirtämi",
            "oikaisemi",
            "kirjallisesti rekisterinpitäjälle",
            "todistamaan henkilöllisyytensä",
            "pääsääntöisesti kuukauden kuluessa");
        AssertSays(10, ("henkilötietojen poistamiseen rekisteristä", "henkilötietojen poistamista rekisteristä"));
    }

    private void AssertSays(int section, params string[] phrases) => AssertSays(section, [.. phrases.Select(p => (p, p))]);

    private void AssertSays(int section, params (string Seed, string Ours)[] phrases) =>
        AssertBoth(SeedNotice.Section(section).Text, _notice.Section(section).Text(), $"section {section}", phrases);

    private static void AssertBoth(string seed, string ours, string where, params string[] phrases) =>
        AssertBoth(seed, ours, where, [.. phrases.Select(p => (p, p))]);

    private static void AssertBoth(string seed, string ours, string where, params (string Seed, string Ours)[] phrases)
    {
        var notInSeed = phrases.Where(p => !seed.Contains(SeedNotice.Normalise(p.Seed), StringComparison.Ordinal)).Select(p => p.Seed).ToList();
        Assert.True(notInSeed.Count == 0, $"The test expects phrases the seed's {where} does not have: {string.Join(" | ", notInSeed)}\n\nThe seed's {where}:\n{seed}");

        var missing = phrases.Where(p => !ours.Contains(SeedNotice.Normalise(p.Ours), StringComparison.Ordinal)).Select(p => p.Ours).ToList();
        Assert.True(missing.Count == 0, $"The generated {where} does not say: {string.Join(" | ", missing)}\n\nIt reads:\n{ours}");
    }
}
