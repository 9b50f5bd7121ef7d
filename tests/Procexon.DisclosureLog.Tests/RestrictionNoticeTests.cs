using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.DisclosureLog.Model;

namespace Procexon.DisclosureLog.Tests;

/// <summary>
/// Art 19 for restriction (Art 18, or an upheld objection under Art 21(1)) and its lifting: the recipients of the subject's data are told through the one notice
/// pipeline, each once however often the news arrives, and each confirmation counts once and only from its recipient.
/// </summary>
[Collection(DisclosureLogCollection.Name)]
public sealed class RestrictionNoticeTests(DisclosureLogFixture fixture)
{
    [Fact]
    public async Task Restriction_and_its_lifting_delivered_twice_tell_the_same_recipients_once_each_and_the_firm_restricts_then_releases_its_copy()
    {
        var subjectId = Guid.NewGuid();
        await DiscloseAsync("accounting-firm", subjectId, new DisclosedSubjectInput(Email: "rajoitus@example.fi"));
        await DiscloseAsync("finago", subjectId);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(async () =>
            (await fixture.InAccountingFirmAsync(db => db.ClientRecords.CountAsync(r => r.SubjectId == subjectId))) == 1), "The firm never kept its copy.");
        var requestId = Guid.NewGuid();
        var messageId = Guid.NewGuid();

        await fixture.Bus.Publish(ScopeOf(requestId, subjectId), c => c.MessageId = messageId);
        await fixture.Bus.Publish(ScopeOf(requestId, subjectId), c => c.MessageId = messageId);

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(messageId) == 2), "The second delivery never reached the consumer.");
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => ConfirmedOf(requestId, RecipientNoticeKinds.Restriction).Count > 0),
            "The accounting firm's confirmation of the restriction never reached RightsRequests.");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var told = Assert.Single(fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId));
        Assert.Equal(RecipientNoticeKinds.Restriction, told.Notice);
        Assert.Equal(["accounting-firm", "finago"], told.Recipients.Select(r => r.Recipient));
        var restrictions = await NoticesAsync(requestId);
        Assert.Equal(2, restrictions.Count);
        Assert.All(restrictions, n => Assert.Equal((RecipientNoticeKinds.Restriction, "basic-data"), (n.Kind, string.Join(",", n.Categories))));
        // The firm's queue got its own notice only; Finago, confirmed by hand, was sent nothing, and nothing was published.
        Assert.Equal("accounting-firm", Assert.Single(fixture.Captured.Of<RestrictionNoticeSent>(e => e.RequestId == requestId)).Recipient);
        Assert.Empty(fixture.PublishedRecipientEvents.Of<RestrictionNoticeSent>(e => e.RequestId == requestId));
        Assert.Single(ConfirmedOf(requestId, RecipientNoticeKinds.Restriction));
        var copy = await fixture.InAccountingFirmAsync(db => db.ClientRecords.AsNoTracking().SingleAsync(r => r.SubjectId == subjectId));
        Assert.NotNull(copy.RestrictedAt);
        Assert.Equal("rajoitus@example.fi", copy.Email);

        // A recipient that received the data later was never told of the restriction, so it is not told of the lifting.
        await DiscloseAsync("verkko24", subjectId);
        var liftedId = Guid.NewGuid();
        var lifted = new RestrictionLifted(requestId, ["customers"], 1, fixture.Clock.GetUtcNow());
        await fixture.Bus.Publish(lifted, c => c.MessageId = liftedId);
        await fixture.Bus.Publish(lifted, c => c.MessageId = liftedId);

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(liftedId) == 2));
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => ConfirmedOf(requestId, RecipientNoticeKinds.RestrictionLifted).Count > 0),
            "The accounting firm's confirmation of the lifting never reached RightsRequests.");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var toldOfLifting = Assert.Single(fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId && e.Notice == RecipientNoticeKinds.RestrictionLifted));
        Assert.Equal(["accounting-firm", "finago"], toldOfLifting.Recipients.Select(r => r.Recipient));
        Assert.Equal(2, fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId).Count);
        var notices = await NoticesAsync(requestId);
        Assert.Equal(4, notices.Count);
        Assert.Equal(["accounting-firm", "finago"], notices.Where(n => n.Kind == RecipientNoticeKinds.RestrictionLifted).Select(n => n.Recipient).Order(StringComparer.Ordinal));
        Assert.Single(fixture.Captured.Of<RestrictionLiftedNoticeSent>(e => e.RequestId == requestId));
        Assert.Single(ConfirmedOf(requestId, RecipientNoticeKinds.RestrictionLifted));
        Assert.Null((await fixture.InAccountingFirmAsync(db => db.ClientRecords.AsNoTracking().SingleAsync(r => r.SubjectId == subjectId))).RestrictedAt);
    }

    [Fact]
    public async Task A_notice_is_confirmed_once_and_only_by_its_own_recipient_or_staff()
    {
        var subjectId = Guid.NewGuid();
        await DiscloseAsync("finago", subjectId);
        var requestId = Guid.NewGuid();
        await fixture.Bus.Publish(ScopeOf(requestId, subjectId));
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId).Count > 0));
        var noticeId = Assert.Single(fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId)).Recipients[0].NotificationId;

        // The accounting firm speaking for Finago through its own exchange, or naming Finago's notice as its own: ignored.
        await fixture.ConfirmAsAsync("accounting-firm",
            new ProcessorConfirmedNotice(noticeId, requestId, "finago", RecipientNoticeKinds.Restriction, fixture.Clock.GetUtcNow(), "Not mine"));
        await fixture.ConfirmAsAsync("accounting-firm",
            new ProcessorConfirmedNotice(noticeId, requestId, "accounting-firm", RecipientNoticeKinds.Restriction, fixture.Clock.GetUtcNow(), "Not mine"));
        // And with its token over HTTP: Finago's notice does not exist for it.
        using var firm = fixture.ProcessorClient("accounting-firm");
        using (var foreign = await firm.PostAsJsonAsync($"/api/restriction-notifications/{noticeId}/confirmation", new { detail = "Not mine" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }

        using (var listed = await firm.GetAsync(new Uri($"/api/restriction-notifications?request={requestId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            Assert.Empty((await listed.Content.ReadFromJsonAsync<List<RestrictionNotificationDto>>())!);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Null(Assert.Single(await NoticesAsync(requestId)).ConfirmedAt);
        Assert.Empty(ConfirmedOf(requestId, RecipientNoticeKinds.Restriction));

        var first = await fixture.InDisclosureLogAsync((db, outbox) => RestrictionNotificationsApi.ConfirmRestriction(
            noticeId, new ConfirmNoticeBody("Finago restricted it, by phone"), DisclosureLogFixture.Staff, db, outbox, fixture.Clock, default));
        var second = await fixture.InDisclosureLogAsync((db, outbox) => RestrictionNotificationsApi.ConfirmRestriction(
            noticeId, new ConfirmNoticeBody("Again"), DisclosureLogFixture.Staff, db, outbox, fixture.Clock, default));
        // Finago's own word arriving later, twice, changes nothing and announces nothing.
        var finago = new ProcessorConfirmedNotice(noticeId, requestId, "finago", RecipientNoticeKinds.Restriction, fixture.Clock.GetUtcNow(), "Restricted");
        var messageId = Guid.NewGuid();
        await fixture.ConfirmAsAsync("finago", finago, messageId);
        await fixture.ConfirmAsAsync("finago", finago, messageId);

        var confirmed = Assert.IsType<Ok<RestrictionNotificationDto>>(first.Result).Value!;
        Assert.Equal((RecipientNoticeKinds.Restriction, ErasureNotificationStatuses.Confirmed, DisclosureLogFixture.StaffActor),
            (confirmed.Kind, confirmed.Status, confirmed.ConfirmedBy));
        Assert.Equal(409, Assert.IsType<ProblemHttpResult>(second.Result).StatusCode);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(messageId) == 2));
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => ConfirmedOf(requestId, RecipientNoticeKinds.Restriction).Count == 1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(new RecipientConfirmedNotice(requestId, "finago", RecipientNoticeKinds.Restriction, confirmed.ConfirmedAt!.Value),
            Assert.Single(ConfirmedOf(requestId, RecipientNoticeKinds.Restriction)));
        Assert.Equal(DisclosureLogFixture.StaffActor, Assert.Single(await NoticesAsync(requestId)).ConfirmedBy);
    }

    [Fact]
    public async Task A_subject_merged_while_restricted_is_named_by_the_survivor_and_its_recipients_are_told_of_the_lifting()
    {
        var duplicate = Guid.NewGuid();
        var survivor = Guid.NewGuid();
        await DiscloseAsync("finago", duplicate);
        var requestId = Guid.NewGuid();
        await fixture.Bus.Publish(ScopeOf(requestId, duplicate));
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId).Count > 0));

        var mergeId = Guid.NewGuid();
        await fixture.Bus.Publish(new SubjectsMerged(mergeId, duplicate, survivor, fixture.Clock.GetUtcNow()), c => c.MessageId = mergeId);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(mergeId) == 1));
        await fixture.Bus.Publish(new RestrictionLifted(requestId, ["customers"], 1, fixture.Clock.GetUtcNow()));

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() =>
            fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId && e.Notice == RecipientNoticeKinds.RestrictionLifted).Count > 0));
        var toldOfLifting = Assert.Single(fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId && e.Notice == RecipientNoticeKinds.RestrictionLifted));
        Assert.Equal("finago", Assert.Single(toldOfLifting.Recipients).Recipient);
        Assert.All(await NoticesAsync(requestId), n => Assert.Equal([survivor], n.SubjectIds));
    }

    [Fact]
    public async Task An_upheld_objection_is_told_as_a_restriction_only_where_data_went_under_legitimate_interest_and_its_lifting_releases_only_that()
    {
        var subjectId = Guid.NewGuid();
        await DiscloseAsync("accounting-firm", subjectId, new DisclosedSubjectInput(Email: "vastustus@example.fi"), LegalBases.LegitimateInterest);
        await DiscloseAsync("accounting-firm", subjectId, categories: ["customer-contract"]);
        await DiscloseAsync("verkko24", subjectId, legalBasis: LegalBases.LegitimateInterest);
        // Finago received the data under contract only: the objection does not reach that processing, so it is not told.
        await DiscloseAsync("finago", subjectId);
        var requestId = Guid.NewGuid();
        var messageId = Guid.NewGuid();

        await fixture.Bus.Publish(ScopeOf(requestId, subjectId, SubjectRights.ObjectionUpheld), c => c.MessageId = messageId);
        await fixture.Bus.Publish(ScopeOf(requestId, subjectId, SubjectRights.ObjectionUpheld), c => c.MessageId = messageId);

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(messageId) == 2), "The second delivery never reached the consumer.");
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => ConfirmedOf(requestId, RecipientNoticeKinds.Restriction).Count > 0),
            "The accounting firm's confirmation of the objection's restriction never reached RightsRequests.");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var told = Assert.Single(fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId));
        Assert.Equal(RecipientNoticeKinds.Restriction, told.Notice);
        Assert.Equal(["accounting-firm", "verkko24"], told.Recipients.Select(r => r.Recipient));
        var restrictions = await NoticesAsync(requestId);
        Assert.Equal(["accounting-firm", "verkko24"], restrictions.Select(n => n.Recipient).Order(StringComparer.Ordinal));
        // What went under contract is not restricted, so it is not named.
        Assert.All(restrictions, n => Assert.Equal((RecipientNoticeKinds.Restriction, "basic-data"), (n.Kind, string.Join(",", n.Categories))));
        var sent = Assert.Single(fixture.Captured.Of<RestrictionNoticeSent>(e => e.RequestId == requestId));
        Assert.Equal(("accounting-firm", "basic-data"), (sent.Recipient, string.Join(",", sent.Categories)));
        Assert.Single(ConfirmedOf(requestId, RecipientNoticeKinds.Restriction));

        var liftedId = Guid.NewGuid();
        var lifted = new RestrictionLifted(requestId, ["contacts"], 1, fixture.Clock.GetUtcNow());
        await fixture.Bus.Publish(lifted, c => c.MessageId = liftedId);
        await fixture.Bus.Publish(lifted, c => c.MessageId = liftedId);

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(liftedId) == 2));
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => ConfirmedOf(requestId, RecipientNoticeKinds.RestrictionLifted).Count > 0),
            "The accounting firm's confirmation of the lifting never reached RightsRequests.");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var toldOfLifting = Assert.Single(fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId && e.Notice == RecipientNoticeKinds.RestrictionLifted));
        Assert.Equal(["accounting-firm", "verkko24"], toldOfLifting.Recipients.Select(r => r.Recipient));
        var liftings = (await NoticesAsync(requestId)).Where(n => n.Kind == RecipientNoticeKinds.RestrictionLifted).ToList();
        Assert.Equal(["accounting-firm", "verkko24"], liftings.Select(n => n.Recipient).Order(StringComparer.Ordinal));
        // Released is what was restricted, not everything the recipient ever received.
        Assert.All(liftings, n => Assert.Equal("basic-data", string.Join(",", n.Categories)));
        Assert.Equal("basic-data", string.Join(",", Assert.Single(fixture.Captured.Of<RestrictionLiftedNoticeSent>(e => e.RequestId == requestId)).Categories));
    }

    [Fact]
    public async Task A_restriction_notice_left_unconfirmed_when_the_restriction_is_lifted_is_superseded_and_neither_listed_nor_counted_overdue()
    {
        var subjectId = Guid.NewGuid();
        // Finago confirms only by hand, and nobody does: its restriction notice is unconfirmed when the restriction is lifted.
        await DiscloseAsync("finago", subjectId);
        var requestId = Guid.NewGuid();
        await fixture.Bus.Publish(ScopeOf(requestId, subjectId));
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId).Count > 0));
        var restriction = Assert.Single(await NoticesAsync(requestId));
        Assert.Null(restriction.SupersededAt);

        // The lifting delivered twice, and once more under another message id: the mark is set once, by one transaction.
        var liftedId = Guid.NewGuid();
        var lifted = new RestrictionLifted(requestId, ["customers"], 1, fixture.Clock.GetUtcNow());
        await fixture.Bus.Publish(lifted, c => c.MessageId = liftedId);
        await fixture.Bus.Publish(lifted, c => c.MessageId = liftedId);
        var againId = Guid.NewGuid();
        await fixture.Bus.Publish(lifted, c => c.MessageId = againId);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(liftedId) == 2 && fixture.Consumed.TimesConsumed(againId) == 1));

        var notices = await NoticesAsync(requestId);
        Assert.Equal(2, notices.Count);
        var superseded = Assert.Single(notices, n => n.Kind == RecipientNoticeKinds.Restriction);
        var lifting = Assert.Single(notices, n => n.Kind == RecipientNoticeKinds.RestrictionLifted);
        Assert.NotNull(superseded.SupersededAt);
        Assert.Null(superseded.ConfirmedAt);
        Assert.Null(lifting.SupersededAt);

        fixture.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        // Past its confirm-by, the superseded notice is not overdue; the lifting's notice, unconfirmed too, is.
        var listed = await ListAsync(requestId.ToString(), null);
        Assert.Equal(ErasureNotificationStatuses.Superseded, Assert.Single(listed, n => n.Id == superseded.Id).Status);
        Assert.Equal(ErasureNotificationStatuses.Overdue, Assert.Single(listed, n => n.Id == lifting.Id).Status);
        var overdue = await ListAsync(null, "true");
        Assert.DoesNotContain(overdue, n => n.Id == superseded.Id);
        Assert.Contains(overdue, n => n.Id == lifting.Id);
        Assert.Contains(await ListAsync(null, "false"), n => n.Id == superseded.Id);

        // The gauge counts what the overdue list lists: every unconfirmed notice past its date but the superseded ones.
        var counts = await fixture.DisclosureLog.Services.GetRequiredService<OverdueNoticesMonitor>().RefreshAsync(CancellationToken.None);
        var now = fixture.Clock.GetUtcNow();
        var (unconfirmedPastDue, supersededPastDue) = await fixture.InDisclosureLogAsync(async (db, _) => (
            await db.RestrictionNotifications.CountAsync(n => n.ConfirmedAt == null && n.ConfirmBy < now),
            await db.RestrictionNotifications.CountAsync(n => n.ConfirmedAt == null && n.ConfirmBy < now && n.SupersededAt != null)));
        Assert.True(supersededPastDue >= 1);
        Assert.Equal(unconfirmedPastDue - supersededPastDue, counts.Restrictions);
        Assert.Equal(overdue.Count, counts.Restrictions);

        // A late confirmation is still recorded, as the evidence that the recipient did restrict.
        var late = await fixture.InDisclosureLogAsync((db, outbox) => RestrictionNotificationsApi.ConfirmRestriction(
            superseded.Id, new ConfirmNoticeBody("Restricted late"), DisclosureLogFixture.Staff, db, outbox, fixture.Clock, default));
        Assert.Equal(ErasureNotificationStatuses.Confirmed, Assert.IsType<Ok<RestrictionNotificationDto>>(late.Result).Value!.Status);
    }

    private async Task<List<RestrictionNotificationDto>> ListAsync(string? request, string? overdue)
    {
        var result = await fixture.InDisclosureLogAsync((db, _) => RestrictionNotificationsApi.ListNotifications(request, overdue, DisclosureLogFixture.Staff, db, fixture.Clock, default));
        return Assert.IsType<Ok<List<RestrictionNotificationDto>>>(result.Result).Value!;
    }

    private IReadOnlyList<RecipientConfirmedNotice> ConfirmedOf(Guid requestId, string kind) =>
        fixture.Captured.Of<RecipientConfirmedNotice>(e => e.RequestId == requestId && e.Notice == kind);

    private Task<List<RestrictionNotification>> NoticesAsync(Guid requestId) =>
        fixture.InDisclosureLogAsync((db, _) => db.RestrictionNotifications.AsNoTracking().Where(n => n.RequestId == requestId).ToListAsync());

    private async Task DiscloseAsync(
        string recipient, Guid subjectId, DisclosedSubjectInput? subject = null, string legalBasis = LegalBases.Contract, List<string>? categories = null)
    {
        var result = await fixture.InDisclosureLogAsync((db, outbox) => DisclosuresApi.RecordDisclosure(
            new RecordDisclosureBody(recipient, subjectId.ToString(), categories ?? ["basic-data"], legalBasis, subject), db, outbox, fixture.Schemas, fixture.Clock, default));
        Assert.IsType<Created<DisclosureDto>>(result.Result);
    }

    private static SubjectRightScopeResolved ScopeOf(Guid requestId, Guid subjectId, string right = SubjectRights.Restriction) =>
        new(requestId, right, [subjectId], [], [], [], [], DateTimeOffset.UtcNow);
}
