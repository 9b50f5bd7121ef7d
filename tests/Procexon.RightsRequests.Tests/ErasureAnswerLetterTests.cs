using Procexon.Contracts;
using Procexon.RightsRequests.Model;
using static Procexon.RightsRequests.Tests.Requests;

namespace Procexon.RightsRequests.Tests;

[Trait("Category", "Unit")]
public sealed class ErasureAnswerLetterTests
{
    private static readonly DateTimeOffset s_completedAt = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_confirmedAt = new(2026, 3, 9, 23, 30, 0, TimeSpan.Zero); // 10.3. in Helsinki

    [Fact]
    public void Finnish_letter_tells_what_was_erased_in_which_register()
    {
        var answer = ErasureAnswerLetter.Compose(CompletedErasure(), "fi");

        Assert.Equal("fi", answer.Language);
        Assert.Equal("Vastaus henkilötietojen poistamista koskevaan pyyntöösi", answer.Subject);
        Assert.StartsWith("Hyvä Maija Mehiläinen,", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Saimme pyyntösi 2.3.2026 ja henkilöllisyytesi varmistettiin 3.3.2026.", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Pyyntösi käsittely valmistui 10.3.2026.", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Poistimme tietosi seuraavista rekistereistä:", answer.Text, StringComparison.Ordinal);
        Assert.Contains("- Asiakasrekisteri (4 tietuetta)", answer.Text, StringComparison.Ordinal);
        Assert.Contains("- Markkinointirekisteri (1 tietue)", answer.Text, StringComparison.Ordinal);
        Assert.Contains("suoramarkkinoinnin estomerkintä", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Muissa rekistereissämme ei ollut sinua koskevia tietoja.", answer.Text, StringComparison.Ordinal);
        Assert.Equal(["customers", "marketing", "backups"], answer.Erased.Select(e => e.Register));
        Assert.Equal("Asiakasrekisteri", answer.Erased[0].Name);
    }

    [Fact]
    public void Finnish_letter_tells_what_is_kept_under_which_statute_until_when_and_that_processing_is_restricted()
    {
        var answer = ErasureAnswerLetter.Compose(CompletedErasure(), "fi");

        Assert.Contains("tietosuoja-asetuksen 17 artiklan 3 kohdan b alakohta", answer.Text, StringComparison.Ordinal);
        Assert.Contains("käsittelyä on rajoitettu", answer.Text, StringComparison.Ordinal);
        Assert.Contains(
            "- Kirjanpidon ja palkanlaskennan aineistot: kirjanpitoaineisto (3 tietuetta) säilytetään 31.12.2031 asti.",
            answer.Text, StringComparison.Ordinal);
        Assert.Contains($"  Peruste: {AccountingAct.Fi}.", answer.Text, StringComparison.Ordinal);
        var kept = Assert.Single(answer.Retained);
        Assert.Equal(new KeptUnderLaw("accounting-payroll", "Kirjanpidon ja palkanlaskennan aineistot", "accounting-material", "kirjanpitoaineisto",
            "accounting-vouchers", AccountingAct.Fi, new DateOnly(2031, 12, 31), 3), kept);
    }

    [Fact]
    public void Finnish_letter_explains_that_backups_are_beyond_use_with_the_registers_note()
    {
        var answer = ErasureAnswerLetter.Compose(CompletedErasure(), "fi");

        Assert.Contains("Varmuuskopiot\nTietojasi on myös varmuuskopioissamme.\n" + BackupNote.Fi, answer.Text, StringComparison.Ordinal);
        var backups = Assert.Single(answer.Erased, e => e.Register == "backups");
        Assert.Equal(ErasureOutcomes.BeyondUse, backups.Outcome);
        Assert.Equal(BackupNote.Fi, backups.Note);
    }

    [Fact]
    public void Finnish_letter_names_the_recipients_told_of_the_erasure_and_when_they_confirmed()
    {
        var answer = ErasureAnswerLetter.Compose(CompletedErasure(), "fi");

        Assert.Contains("19 artiklan mukaisesti", answer.Text, StringComparison.Ordinal);
        Assert.Contains("- Tilitoimisto: vahvisti poiston 10.3.2026", answer.Text, StringComparison.Ordinal);
        var recipient = Assert.Single(answer.Recipients);
        Assert.Equal(new InformedRecipient("accounting-firm", "Tilitoimisto", s_confirmedAt), recipient);
    }

    [Fact]
    public void Finnish_letter_tells_of_the_right_to_complain_to_the_data_protection_ombudsman()
    {
        var answer = ErasureAnswerLetter.Compose(CompletedErasure(), "fi");

        Assert.Contains("valitus valvontaviranomaiselle, joka Suomessa on tietosuojavaltuutettu", answer.Text, StringComparison.Ordinal);
        Assert.Contains("tietosuoja.fi", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Ystävällisin terveisin\n\nProcexon Oy", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void English_letter_tells_what_was_erased_kept_and_told_with_dates_in_words()
    {
        var answer = ErasureAnswerLetter.Compose(CompletedErasure(), "en");

        Assert.Equal("en", answer.Language);
        Assert.Equal("Reply to your request to erase your personal data", answer.Subject);
        Assert.StartsWith("Dear Maija Mehiläinen,", answer.Text, StringComparison.Ordinal);
        Assert.Contains("We received your request on 2 March 2026 and verified your identity on 3 March 2026.", answer.Text, StringComparison.Ordinal);
        Assert.Contains("- Customer register (4 records)", answer.Text, StringComparison.Ordinal);
        Assert.Contains("- Marketing register (1 record)", answer.Text, StringComparison.Ordinal);
        Assert.Contains("GDPR Article 17(3)(b)", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Processing of this data is restricted", answer.Text, StringComparison.Ordinal);
        Assert.Contains("- Accounting and payroll material: accounting material (3 records), kept until 31 December 2031.", answer.Text, StringComparison.Ordinal);
        Assert.Contains($"  Legal basis: {AccountingAct.En}.", answer.Text, StringComparison.Ordinal);
        Assert.Contains(BackupNote.En, answer.Text, StringComparison.Ordinal);
        Assert.Contains("As Article 19 of the GDPR requires", answer.Text, StringComparison.Ordinal);
        Assert.Contains("- Accounting firm: confirmed on 10 March 2026", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Data Protection Ombudsman (tietosuoja.fi)", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Yours sincerely,", answer.Text, StringComparison.Ordinal);
        Assert.Equal("Accounting material", answer.Retained[0].CategoryName, ignoreCase: true);
        Assert.Equal(AccountingAct.En, answer.Retained[0].Statute);
    }

    [Fact]
    public void Letter_without_a_name_uses_a_formal_greeting()
    {
        var request = CompletedErasure(name: null);

        Assert.StartsWith("Hyvä vastaanottaja,", ErasureAnswerLetter.Compose(request, "fi").Text, StringComparison.Ordinal);
        var english = ErasureAnswerLetter.Compose(request, "en").Text;
        Assert.StartsWith("Dear Sir or Madam,", english, StringComparison.Ordinal);
        Assert.Contains("Yours faithfully,", english, StringComparison.Ordinal);
    }

    [Fact]
    public void Backups_without_a_note_are_explained_with_the_date_they_rotate_out()
    {
        var request = VerifiedErasure();
        request.RecordScope([Backups], [], VerifiedAt);
        request.RecordRegisterAnswer(Answer(request, Backups, ErasureOutcomes.BeyondUse, 0,
            [new RetainedData(Guid.CreateVersion7(), "backup-copies", "backup-rotation", new("Varmuuskopioiden kierto", "Backup rotation"), new DateOnly(2026, 6, 1), 2)]));
        request.RecordNotifiedRecipients([], VerifiedAt);
        Assert.True(request.TryComplete(s_completedAt));

        var fi = ErasureAnswerLetter.Compose(request, "fi");
        var en = ErasureAnswerLetter.Compose(request, "en");

        Assert.Contains("merkitty käyttökelvottomiksi", fi.Text, StringComparison.Ordinal);
        Assert.Contains("Ne poistuvat lopullisesti varmuuskopioiden kierrossa viimeistään 1.6.2026.", fi.Text, StringComparison.Ordinal);
        Assert.Contains("marked beyond use", en.Text, StringComparison.Ordinal);
        Assert.Contains("at the latest on 1 June 2026", en.Text, StringComparison.Ordinal);
        // Backups are put beyond use, not kept under law.
        Assert.Empty(fi.Retained);
        Assert.DoesNotContain("Säilytettävät tiedot", fi.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Letter_says_so_when_no_register_held_the_subject_and_nobody_had_to_be_told()
    {
        var request = VerifiedErasure();
        request.RecordScope([], [Customers, Marketing], VerifiedAt);
        request.RecordNotifiedRecipients([], VerifiedAt);
        Assert.True(request.TryComplete(s_completedAt));

        var fi = ErasureAnswerLetter.Compose(request, "fi");
        var en = ErasureAnswerLetter.Compose(request, "en");

        Assert.Contains("Emme löytäneet rekistereistämme sinua koskevia tietoja, joten poistettavaa ei ollut.", fi.Text, StringComparison.Ordinal);
        Assert.Contains("Tietojasi ei ole luovutettu muille, joten poistosta ei tarvinnut ilmoittaa kenellekään", fi.Text, StringComparison.Ordinal);
        Assert.Contains("We found no data about you in our registers", en.Text, StringComparison.Ordinal);
        Assert.Contains("there was nobody else to tell of the erasure", en.Text, StringComparison.Ordinal);
        Assert.Empty(fi.Erased);
        Assert.Empty(fi.Retained);
        Assert.Empty(fi.Recipients);
        Assert.DoesNotContain("Poistimme", fi.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_that_erased_part_and_kept_part_appears_in_both_lists()
    {
        var request = VerifiedErasure();
        request.RecordScope([Employees], [], VerifiedAt);
        request.RecordRegisterAnswer(Answer(request, Employees, ErasureOutcomes.RetainedUnderLaw, 5,
            [new RetainedData(Guid.CreateVersion7(), "payroll", "payroll-vouchers", AccountingAct, new DateOnly(2030, 12, 31), 2)]));
        request.RecordNotifiedRecipients([], VerifiedAt);
        Assert.True(request.TryComplete(s_completedAt));

        var answer = ErasureAnswerLetter.Compose(request, "fi");

        Assert.Contains("- Työntekijärekisteri (5 tietuetta); lain edellyttämät tiedot säilytetään, ks. alla.", answer.Text, StringComparison.Ordinal);
        Assert.Contains("- Työntekijärekisteri: palkanlaskennan tiedot (2 tietuetta) säilytetään 31.12.2030 asti.", answer.Text, StringComparison.Ordinal);
        Assert.Single(answer.Erased);
        Assert.Single(answer.Retained);
    }

    [Fact]
    public void Letter_tells_in_finnish_and_english_what_a_legal_hold_keeps_for_legal_claims_and_why()
    {
        var holdId = Guid.CreateVersion7();
        var request = VerifiedErasure();
        request.RecordScope([Customers, Employees], [], VerifiedAt);
        request.RecordRegisterAnswer(Answer(request, Customers, ErasureOutcomes.RetainedUnderLegalHold, 0) with
        {
            Held = [new HeldData(Guid.CreateVersion7(), "correspondence", holdId, LegalHoldBases.LegalClaims, 3)],
        });
        // Part erased, part kept by the hold.
        request.RecordRegisterAnswer(Answer(request, Employees, ErasureOutcomes.RetainedUnderLegalHold, 2) with
        {
            Held = [new HeldData(Guid.CreateVersion7(), "employment", holdId, LegalHoldBases.LegalClaims, 1)],
        });
        request.RecordNotifiedRecipients([], VerifiedAt);
        Assert.True(request.TryComplete(s_completedAt));

        var fi = ErasureAnswerLetter.Compose(request, "fi");
        var en = ErasureAnswerLetter.Compose(request, "en");

        Assert.Contains("Oikeudellisen vaateen vuoksi säilytettävät tiedot\n", fi.Text, StringComparison.Ordinal);
        Assert.Contains("17 artiklan 3 kohdan e alakohta", fi.Text, StringComparison.Ordinal);
        Assert.Contains("käsittelyä on rajoitettu", fi.Text, StringComparison.Ordinal);
        Assert.Contains("- Asiakasrekisteri: sähköpostiviestit (3 tietuetta)\n  Peruste: Tietosuoja-asetuksen 17 artiklan 3 kohdan e alakohta: oikeudellisen vaateen laatiminen, esittäminen tai puolustaminen.",
            fi.Text, StringComparison.Ordinal);
        Assert.Contains("- Työntekijärekisteri (2 tietuetta); oikeudellisen vaateen vuoksi säilytettävät tiedot, ks. alla.", fi.Text, StringComparison.Ordinal);
        Assert.Contains("What we keep for legal claims\n", en.Text, StringComparison.Ordinal);
        Assert.Contains("- Customer register: e-mail messages (3 records)\n  Legal basis: GDPR Article 17(3)(e): the establishment, exercise or defence of legal claims.",
            en.Text, StringComparison.Ordinal);
        Assert.Contains("unless the law requires us to keep it longer", en.Text, StringComparison.Ordinal);
        // The customer register erased nothing: it is not among the erased, only among what is kept.
        Assert.Equal(["employees"], fi.Erased.Select(e => e.Register));
        const string basis = "GDPR Article 17(3)(e): the establishment, exercise or defence of legal claims";
        Assert.Equal(
            [
                new KeptUnderLegalHold("customers", "Customer register", "correspondence", "e-mail messages", LegalHoldBases.LegalClaims, basis, 3),
                new KeptUnderLegalHold("employees", "Employee register", "employment", DataCategoryNames.Of("employment", "en"), LegalHoldBases.LegalClaims, basis, 1),
            ],
            en.Held);
        Assert.Empty(en.Retained);
    }

    [Fact]
    public void Letter_never_contains_the_identity_code_email_or_phone_number()
    {
        foreach (var language in ErasureAnswerLetter.Languages)
        {
            var text = ErasureAnswerLetter.Compose(CompletedErasure(), language).Text;

            Assert.DoesNotContain("010594Y9032", text, StringComparison.Ordinal);
            Assert.DoesNotContain("maija.mehilainen@example.fi", text, StringComparison.Ordinal);
            Assert.DoesNotContain("401234567", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("2031-12-31", "fi", "31.12.2031")]
    [InlineData("2026-03-05", "fi", "5.3.2026")]
    [InlineData("2031-12-31", "en", "31 December 2031")]
    [InlineData("2026-03-05", "en", "5 March 2026")]
    public void Dates_are_written_as_each_language_writes_them(string date, string language, string written)
    {
        Assert.Equal(written, ErasureAnswerLetter.FormatDate(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), language));
    }

    [Fact]
    public void Letter_is_written_only_in_finnish_or_english()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ErasureAnswerLetter.Compose(CompletedErasure(), "sv"));
    }

    /// <summary>Customers and marketing erased, accounting kept under the Accounting Act, backups beyond use, one processor told.</summary>
    private static RightsRequest CompletedErasure(string? name = "Maija Mehiläinen")
    {
        var request = VerifiedErasure(name);
        request.RecordScope([Customers, Marketing, Accounting, Backups], [Suppliers, Employees], VerifiedAt.AddMinutes(1));
        request.RecordNotifiedRecipients([Recipient("accounting-firm", "Tilitoimisto", "Accounting firm", VerifiedAt.AddDays(14))], VerifiedAt.AddMinutes(1));
        request.RecordRegisterAnswer(Answer(request, Customers, ErasureOutcomes.Erased, 4));
        request.RecordRegisterAnswer(Answer(request, Marketing, ErasureOutcomes.Erased, 1, note: new(
            "Markkinointirekisteriin jää vain suoramarkkinoinnin estomerkintä (sähköpostiosoitteen tai puhelinnumeron avaintiiviste), jotta tietojasi ei lisätä kampanjoihin uudelleen (GDPR 21 artiklan 3 kohta).",
            "Only a direct-marketing suppression entry (a keyed hash of your e-mail address or phone number) stays in the marketing register, so that you are never added to campaigns again (GDPR Art 21(3)).")));
        request.RecordRegisterAnswer(Answer(request, Accounting, ErasureOutcomes.RetainedUnderLaw, 0,
            [new RetainedData(Guid.CreateVersion7(), "accounting-material", "accounting-vouchers", AccountingAct, new DateOnly(2031, 12, 31), 3)]));
        request.RecordRegisterAnswer(Answer(request, Backups, ErasureOutcomes.BeyondUse, 0,
            [new RetainedData(Guid.CreateVersion7(), "backup-copies", "backup-rotation", new("Varmuuskopioiden kierto", "Backup rotation"), new DateOnly(2026, 6, 1), 2)],
            BackupNote));
        request.RecordRecipientConfirmation("accounting-firm", s_confirmedAt);
        Assert.True(request.TryComplete(s_completedAt));
        return request;
    }
}
