using System.IO.Compression;
using System.Text.Json;
using CsvHelper;
using Procexon.Contracts;
using Procexon.Messaging.Outbox;
using Procexon.RightsRequests.IntegrationEvents;
using Procexon.RightsRequests.Model;
using Procexon.Testing;
using static Procexon.RightsRequests.Tests.Requests;

namespace Procexon.RightsRequests.Tests;

/// <summary>What a request of each right sets going, its answer and its export: pure rules, no I/O.</summary>
[Trait("Category", "Unit")]
public sealed class RightsRulesTests
{
    private static readonly SubjectKeyHasher s_hasher = new("a-subject-lookup-key-of-at-least-32-characters");

    [Fact]
    public void Access_starts_as_soon_as_the_identity_is_verified()
    {
        var (request, outbox) = Verified(RequestType.Access);

        var sent = Assert.Single(outbox.Events.OfType<SubjectRightRequested>());
        Assert.Equal((request.Id, SubjectRights.Access), (sent.RequestId, sent.Right));
        // Only the verified e-mail, and only as the keyed hash the registry matches: no identifier travels.
        Assert.Equal(s_hasher.HashesOf(new SubjectKeys(Email: "maija.mehilainen@example.fi")).Email, sent.Subject.Email);
        Assert.Equal((null, null, s_hasher.KeyId), (sent.Subject.Hetu, sent.Subject.Phone, sent.Subject.KeyId));
    }

    [Fact]
    public void Rectification_runs_nothing_until_it_has_its_corrections_and_then_sends_them_once()
    {
        var (request, outbox) = Verified(RequestType.Rectification);
        Assert.Empty(outbox.Events);
        Assert.Contains(RightsProgress.Awaiting(request), a => a.Contains("corrections", StringComparison.Ordinal));

        request.GiveParticulars([new FieldCorrection("email", "uusi@example.fi")], null);
        RequestExecution.Continue(request, outbox, s_hasher, VerifiedAt.AddHours(1));
        RequestExecution.Continue(request, outbox, s_hasher, VerifiedAt.AddHours(2));

        var sent = Assert.Single(outbox.Events.OfType<SubjectRightRequested>());
        Assert.Equal([new FieldCorrection("email", "uusi@example.fi")], sent.Corrections);
        Assert.Throws<InvalidOperationException>(() => request.GiveParticulars([new FieldCorrection("name", "X")], null));
    }

    [Fact]
    public void Objection_to_direct_marketing_needs_no_decision()
    {
        var request = New(RequestType.Objection);
        request.GiveParticulars(null, ObjectionGrounds.DirectMarketing);
        var outbox = new RecordingOutbox();
        request.Verify(VerificationMethod.StaffKnownContact, "Mika", VerifiedAt);

        RequestExecution.Begin(request, outbox, s_hasher, VerifiedAt);

        Assert.Equal(SubjectRights.ObjectionToDirectMarketing, Assert.Single(outbox.Events.OfType<SubjectRightRequested>()).Right);
    }

    [Fact]
    public void Objection_to_legitimate_interest_runs_only_when_upheld_and_a_rejected_one_is_answered_without_running()
    {
        var upheld = New(RequestType.Objection);
        upheld.GiveParticulars(null, ObjectionGrounds.LegitimateInterest);
        var outbox = new RecordingOutbox();
        upheld.Verify(VerificationMethod.SignedLetter, "Mika", VerifiedAt);
        RequestExecution.Begin(upheld, outbox, s_hasher, VerifiedAt);
        Assert.Empty(outbox.Events);

        upheld.Decide(upheld: true, "No overriding grounds.", "DPO", VerifiedAt.AddDays(1));
        RequestExecution.Continue(upheld, outbox, s_hasher, VerifiedAt.AddDays(1));
        Assert.Equal(SubjectRights.ObjectionUpheld, Assert.Single(outbox.Events.OfType<SubjectRightRequested>()).Right);
        // The decision is on the request's timeline, by whom, why and which way.
        var decided = Assert.Single(upheld.TakeAuditEntries(RequestStatus.InProgress, upheld.DueOn, VerifiedAt.AddDays(1)), e => e.Action == AuditAction.ObjectionDecided);
        Assert.Equal(("DPO", "No overriding grounds.", VerifiedAt.AddDays(1)), (decided.Actor, decided.Reason, decided.OccurredAt));
        Assert.StartsWith("upheld", decided.Detail, StringComparison.Ordinal);

        // Decided before verification: rejected, it runs nothing and is answered once verified.
        var rejected = New(RequestType.Objection);
        rejected.GiveParticulars(null, ObjectionGrounds.LegitimateInterest);
        rejected.Decide(upheld: false, "Compelling legitimate grounds: statutory debt collection.", "DPO", VerifiedAt);
        var rejectedOutbox = new RecordingOutbox();
        rejected.Verify(VerificationMethod.SignedLetter, "Mika", VerifiedAt.AddHours(1));
        RequestExecution.Begin(rejected, rejectedOutbox, s_hasher, VerifiedAt.AddHours(1));

        Assert.Empty(rejectedOutbox.Events.OfType<SubjectRightRequested>());
        Assert.Single(rejectedOutbox.Events.OfType<RightsRequestCompleted>());
        Assert.Equal(RequestStatus.Completed, rejected.Status);
        Assert.StartsWith("rejected", Assert.Single(rejected.TakeAuditEntries(RequestStatus.AwaitingVerification, rejected.DueOn, VerifiedAt.AddHours(1)),
            e => e.Action == AuditAction.ObjectionDecided).Detail, StringComparison.Ordinal);
        var answer = RightsAnswerLetter.Compose(rejected, [], ErasureAnswerLetter.English);
        Assert.Contains("We cannot uphold your objection", answer.Text, StringComparison.Ordinal);
        Assert.Contains("statutory debt collection", answer.Text, StringComparison.Ordinal);
        // Nothing was restricted, so no recipient was told and the letter claims no telling (Art 19).
        Assert.Empty(answer.Recipients);
        Assert.DoesNotContain("Article 19", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subject_held_nowhere_is_told_we_hold_no_data_in_both_languages()
    {
        var (request, _) = Verified(RequestType.Access);
        request.RecordRightScope(Scope(request, SubjectRights.Access, heldIn: [], notHeldIn: [Customers, Marketing]), VerifiedAt);
        Assert.True(request.TryComplete(VerifiedAt.AddSeconds(1)));

        var en = RightsAnswerLetter.Compose(request, [], ErasureAnswerLetter.English);
        var fi = RightsAnswerLetter.Compose(request, [], ErasureAnswerLetter.Finnish);

        Assert.False(en.HoldsData);
        Assert.Null(en.Export);
        Assert.Contains("We hold no data on you", en.Text, StringComparison.Ordinal);
        Assert.Contains("Emme käsittele sinua koskevia henkilötietoja", fi.Text, StringComparison.Ordinal);
        Assert.Contains("tietosuojavaltuutettu", fi.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rectification_answer_names_the_corrected_fields_but_never_repeats_their_values()
    {
        var request = New(RequestType.Rectification);
        request.GiveParticulars([new FieldCorrection("email", "uusi.osoite@example.fi")], null);
        request.Verify(VerificationMethod.StaffIdDocument, "Mika", VerifiedAt);
        RequestExecution.Begin(request, new RecordingOutbox(), s_hasher, VerifiedAt);
        request.RecordRightScope(Scope(request, SubjectRights.Rectification, heldIn: [Customers], notHeldIn: []), VerifiedAt);
        request.RecordRightAnswer(new RegisterRightCompleted(
            request.Id, SubjectRights.Rectification, Customers.Register, Customers.Name, RightOutcomes.Rectified, 2, [], null, null, VerifiedAt));
        Assert.False(request.TryComplete(VerifiedAt), "A rectification waits for the disclosure log's recipients (Art 19).");
        request.RecordNotifiedRecipients([], VerifiedAt);
        Assert.True(request.TryComplete(VerifiedAt.AddMinutes(1)));

        var answer = RightsAnswerLetter.Compose(request, [], ErasureAnswerLetter.English);

        Assert.Contains("We corrected: e-mail address.", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("uusi.osoite", answer.Text, StringComparison.Ordinal);
        Assert.Equal(("customers", "rectified", 2), (answer.Registers[0].Register, answer.Registers[0].Outcome, answer.Registers[0].Records));
    }

    [Fact]
    public void Access_export_masks_the_identity_code_and_portability_package_reads_back_with_a_csv_reader()
    {
        var (access, _) = Verified(RequestType.Access);
        var subjectId = Guid.NewGuid();
        access.RecordRightScope(Scope(access, SubjectRights.Access, [Customers], [],
            [new HeldIdentifiers(subjectId, "Maija", "maija@example.fi", "+358401234567", "010594Y9032", null, "C-1")]), VerifiedAt);
        var record = new HeldRecord(Guid.NewGuid(), subjectId, "customer-contract", new("Asiakkuus", "Customer"), "contract", "active",
            new DateOnly(2025, 5, 6), new Dictionary<string, string> { ["order"] = "Tilaus \"A\", rivi 2\nkiireellinen" }, null, null);
        var copy = new RegisterDataCopy { RequestId = access.Id, Register = "customers", Name = Customers.Name, Records = [record], ReceivedAt = VerifiedAt };
        access.RecordRightAnswer(new RegisterRightCompleted(access.Id, SubjectRights.Access, "customers", Customers.Name, RightOutcomes.Disclosed, 1, [record], null, null, VerifiedAt));

        var export = RightsExports.Compose(access, [copy]);
        using var json = JsonDocument.Parse(RightsExports.ToJson(export));
        var identifiers = json.RootElement.GetProperty("identifiers")[0];
        Assert.Equal("******Y****", identifiers.GetProperty("personalIdentityCode").GetString());
        Assert.DoesNotContain("9032", json.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("C-1", identifiers.GetProperty("customerNumber").GetString());

        using var zip = new ZipArchive(new MemoryStream(RightsExports.ToZip(export)), ZipArchiveMode.Read);
        using var csv = CsvReader.Create(zip.GetEntry("records.csv")!.Open(), new CsvReaderOptions { Separator = ',' }, false);
        Assert.True(csv.Read());
        Assert.Equal("customers", csv.GetString("register"));
        Assert.Equal(record.RecordId.ToString(), csv.GetString("recordId"));
        Assert.Equal("2025-05-06", csv.GetString("recordedOn"));
        Assert.Equal("Tilaus \"A\", rivi 2\nkiireellinen", csv.GetString("value"));
        Assert.False(csv.Read());
    }

    [Theory]
    [MemberData(nameof(SpreadsheetFormulas.Values), MemberType = typeof(SpreadsheetFormulas))]
    public void Portability_csv_prefixes_a_quote_to_a_record_value_or_identifier_that_a_spreadsheet_would_run_as_a_formula(string value)
    {
        var (portability, _) = Verified(RequestType.Portability);
        var subjectId = Guid.NewGuid();
        portability.RecordRightScope(Scope(portability, SubjectRights.Portability, [Customers], [],
            [new HeldIdentifiers(subjectId, value, "maija@example.fi", null, null, null, null)]), VerifiedAt);
        var record = new HeldRecord(Guid.NewGuid(), subjectId, "customer-contract", new("Asiakkuus", "Customer"), "contract", "active",
            new DateOnly(2025, 5, 6), new Dictionary<string, string> { ["order"] = value }, null, null);
        var copy = new RegisterDataCopy { RequestId = portability.Id, Register = "customers", Name = Customers.Name, Records = [record], ReceivedAt = VerifiedAt };
        portability.RecordRightAnswer(new RegisterRightCompleted(
            portability.Id, SubjectRights.Portability, "customers", Customers.Name, RightOutcomes.Exported, 1, [record], null, null, VerifiedAt));

        using var zip = new ZipArchive(new MemoryStream(RightsExports.ToZip(RightsExports.Compose(portability, [copy]))), ZipArchiveMode.Read);

        using (var records = CsvReader.Create(zip.GetEntry("records.csv")!.Open(), new CsvReaderOptions { Separator = ',' }, false))
        {
            Assert.True(records.Read());
            Assert.Equal(("order", "'" + value), (records.GetString("field"), records.GetString("value")));
            Assert.False(records.Read());
        }

        using var identifiers = CsvReader.Create(zip.GetEntry("identifiers.csv")!.Open(), new CsvReaderOptions { Separator = ',' }, false);
        Assert.True(identifiers.Read());
        Assert.Equal(("name", "'" + value), (identifiers.GetString("field"), identifiers.GetString("value")));
    }

    [Fact]
    public void Restriction_can_be_lifted_once_after_completion_and_the_notice_states_the_reason()
    {
        var (request, _) = Verified(RequestType.Restriction);
        request.RecordRightScope(Scope(request, SubjectRights.Restriction, [Customers], []), VerifiedAt);
        Assert.False(request.CanBeLifted);
        request.RecordRightAnswer(new RegisterRightCompleted(request.Id, SubjectRights.Restriction, "customers", Customers.Name, RightOutcomes.Restricted, 1, [], null, null, VerifiedAt));
        // A restriction tells the recipients (Art 19) and waits for the disclosure log's list, here empty.
        Assert.False(request.TryComplete(VerifiedAt));
        request.RecordNotifiedRecipients([], VerifiedAt);
        Assert.True(request.TryComplete(VerifiedAt));
        Assert.True(request.CanBeLifted);

        request.LiftRestriction("The accuracy was verified.", "Mika", VerifiedAt.AddDays(2));

        Assert.False(request.CanBeLifted);
        Assert.Throws<InvalidOperationException>(() => request.LiftRestriction("Again", "Mika", VerifiedAt.AddDays(3)));
        var notice = RightsAnswerLetter.LiftingNotice(request, request.Lifting!, ErasureAnswerLetter.English);
        Assert.Contains("The accuracy was verified.", notice, StringComparison.Ordinal);
        Assert.Contains("Article 18(3)", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Restriction_waits_for_its_recipients_confirmations_and_the_answer_lists_each_with_when_it_confirmed()
    {
        var (request, _) = Verified(RequestType.Restriction);
        request.RecordRightScope(Scope(request, SubjectRights.Restriction, [Customers], []), VerifiedAt);
        request.RecordRightAnswer(new RegisterRightCompleted(request.Id, SubjectRights.Restriction, "customers", Customers.Name, RightOutcomes.Restricted, 1, [], null, null, VerifiedAt));
        request.RecordNotifiedRecipients(
        [
            new NotifiedRecipient(Guid.NewGuid(), "accounting-firm", new("Tilitoimisto", "Accounting firm"), VerifiedAt.AddDays(7)),
            new NotifiedRecipient(Guid.NewGuid(), "website-it-company", new("Verkkosivujen IT-yritys", "Website IT company"), VerifiedAt.AddDays(7)),
        ], VerifiedAt);
        request.RecordRecipientConfirmation("accounting-firm", VerifiedAt.AddHours(1));

        Assert.False(request.TryComplete(VerifiedAt.AddHours(1)));
        Assert.Contains(RightsProgress.Awaiting(request), a => a.Contains("website-it-company", StringComparison.Ordinal));

        request.RecordRecipientConfirmation("website-it-company", VerifiedAt.AddDays(1));
        Assert.True(request.TryComplete(VerifiedAt.AddDays(1)));
        var answer = RightsAnswerLetter.Compose(request, [], ErasureAnswerLetter.English);
        Assert.Equal(
            [("accounting-firm", VerifiedAt.AddHours(1)), ("website-it-company", VerifiedAt.AddDays(1))],
            answer.Recipients.Select(r => (r.Recipient, r.ConfirmedAt!.Value)));
        Assert.Contains("of the restriction (Article 19)", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Website IT company: confirmed on", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipient_that_never_confirms_does_not_keep_the_restriction_the_lifting_supersedes_its_notice_and_completes_the_request()
    {
        var (request, _) = Verified(RequestType.Restriction);
        request.RecordRightScope(Scope(request, SubjectRights.Restriction, [Customers], []), VerifiedAt);
        request.RecordRightAnswer(new RegisterRightCompleted(request.Id, SubjectRights.Restriction, "customers", Customers.Name, RightOutcomes.Restricted, 1, [], null, null, VerifiedAt));
        // Until the disclosure log has said whom it told, the lifting could not be told to exactly them: not yet.
        Assert.False(request.CanBeLifted);
        request.RecordNotifiedRecipients(
        [
            new NotifiedRecipient(Guid.NewGuid(), "accounting-firm", new("Tilitoimisto", "Accounting firm"), VerifiedAt.AddDays(7)),
            new NotifiedRecipient(Guid.NewGuid(), "finago", new("Finago", "Finago"), VerifiedAt.AddDays(7)),
        ], VerifiedAt);
        request.RecordRecipientConfirmation("accounting-firm", VerifiedAt.AddHours(1));
        Assert.False(request.TryComplete(VerifiedAt.AddDays(8)));
        Assert.Equal(RecipientStatus.Overdue, ErasureProgress.StatusOf(request.Recipients.Single(r => r.Recipient == "finago"), VerifiedAt.AddDays(8)));
        Assert.True(request.CanBeLifted);

        Assert.True(request.LiftRestriction("The accuracy was verified.", "Mika", VerifiedAt.AddDays(8)));

        Assert.Equal((RequestStatus.Completed, VerifiedAt.AddDays(8)), (request.Status, request.CompletedAt!.Value));
        Assert.False(request.CanBeLifted);
        var status = Apis.RequestStatusDto.From(request, VerifiedAt.AddDays(8));
        Assert.Equal([("accounting-firm", "confirmed"), ("finago", "superseded")], status.Recipients.Select(r => (r.Recipient, r.Status)));
        var answer = RightsAnswerLetter.Compose(request, [], ErasureAnswerLetter.English);
        Assert.Contains("- Finago: had not confirmed when the restriction was lifted, and was told of the lifting", answer.Text, StringComparison.Ordinal);
        Assert.NotNull(answer.LiftingNotice);
        var decided = request.TakeAuditEntries(RequestStatus.InProgress, request.DueOn, VerifiedAt.AddDays(8))
            .Single(e => e.Action == AuditAction.RestrictionLiftingDecided);
        Assert.Contains("superseded by the lifting: finago", decided.Detail, StringComparison.Ordinal);

        // Its late word is still recorded.
        request.RecordRecipientConfirmation("finago", VerifiedAt.AddDays(9));
        Assert.Equal("confirmed", Apis.RequestStatusDto.From(request, VerifiedAt.AddDays(9)).Recipients.Single(r => r.Recipient == "finago").Status);
    }

    [Fact]
    public void Lifting_records_the_recipients_told_of_it_and_each_first_confirmation_on_the_trail()
    {
        var (request, _) = Verified(RequestType.Restriction);
        request.RecordRightScope(Scope(request, SubjectRights.Restriction, [Customers], []), VerifiedAt);
        request.RecordRightAnswer(new RegisterRightCompleted(request.Id, SubjectRights.Restriction, "customers", Customers.Name, RightOutcomes.Restricted, 1, [], null, null, VerifiedAt));
        request.RecordNotifiedRecipients([], VerifiedAt);
        Assert.True(request.TryComplete(VerifiedAt));
        request.TakeAuditEntries(RequestStatus.InProgress, request.DueOn, VerifiedAt);
        request.LiftRestriction("The accuracy was verified.", "Mika", VerifiedAt.AddDays(2));
        var noticeId = Guid.NewGuid();

        // The firm's confirmation may overtake the list; the list fills its row in.
        request.RecordLiftingConfirmation("accounting-firm", VerifiedAt.AddDays(2).AddHours(2), VerifiedAt.AddDays(2).AddHours(2));
        request.RecordLiftingNotices([new NotifiedRecipient(noticeId, "accounting-firm", new("Tilitoimisto", "Accounting firm"), VerifiedAt.AddDays(9))], VerifiedAt.AddDays(2).AddHours(3));
        request.RecordLiftingConfirmation("accounting-firm", VerifiedAt.AddDays(3), VerifiedAt.AddDays(3));

        var notice = Assert.Single(request.Lifting!.Recipients!);
        Assert.Equal(("accounting-firm", noticeId, VerifiedAt.AddDays(2).AddHours(2)), (notice.Recipient, notice.NotificationId!.Value, notice.ConfirmedAt!.Value));
        Assert.Equal(VerifiedAt.AddDays(2).AddHours(3), request.Lifting.RecipientsNotifiedAt);
        var trail = request.TakeAuditEntries(RequestStatus.Completed, request.DueOn, VerifiedAt.AddDays(3));
        Assert.Equal([AuditAction.RestrictionLiftingDecided, AuditAction.RecipientConfirmed, AuditAction.RecipientsNotified], trail.Select(e => e.Action));
        Assert.Equal("Mika", trail[0].Actor);
    }

    private static RightsRequest New(RequestType type) => new()
    {
        Id = Guid.CreateVersion7(),
        Type = type,
        Status = RequestStatus.AwaitingVerification,
        Channel = "letter",
        ReceivedAt = ReceivedAt,
        DueOn = AnswerPeriod.DueOn(ReceivedAt),
        Subject = new SubjectIdentifiers("Maija Mehiläinen", "maija.mehilainen@example.fi", null, null, null, null),
    };

    private static (RightsRequest Request, RecordingOutbox Outbox) Verified(RequestType type)
    {
        var request = New(type);
        var outbox = new RecordingOutbox();
        request.Verify(VerificationMethod.StaffIdDocument, "Mika", VerifiedAt);
        RequestExecution.Begin(request, outbox, s_hasher, VerifiedAt);
        return (request, outbox);
    }

    private static SubjectRightScopeResolved Scope(
        RightsRequest request, string right, IReadOnlyList<RegisterName> heldIn, IReadOnlyList<RegisterName> notHeldIn, IReadOnlyList<HeldIdentifiers>? identifiers = null) =>
        new(request.Id, right, [], heldIn, notHeldIn, identifiers ?? [], request.Corrections, VerifiedAt);

    private sealed class RecordingOutbox : IEventOutbox
    {
        public List<object> Events { get; } = [];

        public Guid Add<TEvent>(TEvent integrationEvent) where TEvent : class
        {
            Events.Add(integrationEvent);
            return Guid.NewGuid();
        }

        public Guid Send<TCommand>(string queue, TCommand command) where TCommand : class => Add(command);
    }
}
