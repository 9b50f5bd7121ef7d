using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.DisclosureLog.Model;
using Procexon.Testing;

namespace Procexon.DisclosureLog.Tests;

[Collection(DisclosureLogCollection.Name)]
public sealed class ErasureNoticeTests(DisclosureLogFixture fixture)
{
    private const string ValidHetu = "131052-308T";

    [Fact]
    public async Task Erasure_of_a_subject_disclosed_to_two_processors_notifies_each_once_and_reports_both()
    {
        var subjectId = Guid.NewGuid();
        await DiscloseAsync("accounting-firm", subjectId, ["basic-data", "accounting-material"], new DisclosedSubjectInput(Email: "Maija.Meikalainen@Example.fi"));
        await DiscloseAsync("accounting-firm", subjectId, ["payroll"]);
        await DiscloseAsync("finago", subjectId, ["customer-contract"]);
        // Authorities received the data too, but are not sent erasures.
        await DiscloseAsync("authorities", subjectId, ["basic-data"]);
        var requestId = Guid.NewGuid();
        var sentAt = fixture.Clock.GetUtcNow();

        var scope = ScopeOf(requestId, subjectId);
        await fixture.Bus.Publish(scope);

        var reported = await SingleRecipientsNotifiedAsync(requestId);
        Assert.Equal(["accounting-firm", "finago"], reported.Recipients.Select(r => r.Recipient));
        // The scope goes on to RightsRequests with the recipients (one transaction there instead of two).
        Assert.Equal(RecipientNoticeKinds.Erasure, reported.Notice);
        Assert.Equal(scope.RequestId, reported.ErasureScope?.RequestId);
        Assert.Equal(scope.SubjectIds, reported.ErasureScope!.SubjectIds);
        Assert.Equal("Tilitoimisto", reported.Recipients[0].Name.Fi);
        Assert.All(reported.Recipients, r => Assert.Equal(sentAt.AddDays(7), r.ConfirmBy));

        var notifications = await NotificationsOfAsync(requestId);
        Assert.Equal(2, notifications.Count);
        var accountingFirm = notifications.Single(n => n.Recipient == "accounting-firm");
        Assert.Equal(["accounting-material", "basic-data", "payroll"], accountingFirm.Categories);
        Assert.Equal([subjectId], accountingFirm.SubjectIds);
        Assert.Equal(reported.Recipients.Select(r => r.NotificationId).Order(), notifications.Select(n => n.Id).Order());

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => NoticesOf(requestId).Count == 1), "The firm was not sent its notice.");
        await Task.Delay(500);
        // The firm's queue got exactly its own notice; Finago confirms by hand, so its notice is only the row.
        var toFirm = Assert.Single(NoticesOf(requestId));
        Assert.Equal("accounting-firm", toFirm.Recipient);
        Assert.Equal(accountingFirm.Id, toFirm.NotificationId);
        // The notice names the subject by the id the disclosure gave the firm, and no identifier: its queue holds none.
        Assert.DoesNotContain("meikalainen", System.Text.Json.JsonSerializer.Serialize(toFirm), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(accountingFirm.Categories, toFirm.Categories);
        Assert.Contains(notifications, n => n.Recipient == "finago");
        Assert.Empty(fixture.PublishedRecipientEvents.Of<ErasureNoticeSent>(e => e.RequestId == requestId));
    }

    [Fact]
    public async Task Disclosure_and_erasure_notice_for_finago_put_nothing_on_any_queue_and_never_reach_the_accounting_firm()
    {
        var subjectId = Guid.NewGuid();
        var disclosure = await DiscloseAsync("finago", subjectId, ["payroll"], new DisclosedSubjectInput(Email: "finago.only@example.fi"));
        var requestId = Guid.NewGuid();
        await fixture.Bus.Publish(ScopeOf(requestId, subjectId));

        var reported = await SingleRecipientsNotifiedAsync(requestId);
        Assert.Equal(["finago"], reported.Recipients.Select(r => r.Recipient));
        Assert.Single(await NotificationsOfAsync(requestId));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(fixture.Captured.Of<DataDisclosed>(e => e.DisclosureId == disclosure.Id));
        Assert.Empty(NoticesOf(requestId));
        Assert.Empty(fixture.PublishedRecipientEvents.Of<DataDisclosed>(e => e.DisclosureId == disclosure.Id));
        Assert.Empty(fixture.PublishedRecipientEvents.Of<ErasureNoticeSent>(e => e.RequestId == requestId));
        // No queue of Finago's was ever declared: nothing was sent anywhere for it.
        Assert.Null(await fixture.MessagesWaitingInAsync(RecipientQueues.Of("finago")));
        Assert.Equal(0, await fixture.InAccountingFirmAsync(db => db.ClientRecords.CountAsync(r => r.SubjectId == subjectId)));
    }

    [Fact]
    public async Task Erasure_scope_delivered_twice_notifies_each_recipient_once()
    {
        var subjectId = Guid.NewGuid();
        await DiscloseAsync("accounting-firm", subjectId, ["basic-data"]);
        await DiscloseAsync("finago", subjectId, ["payroll"]);
        var requestId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var scope = ScopeOf(requestId, subjectId);

        await fixture.Bus.Publish(scope, context => context.MessageId = messageId);
        await SingleRecipientsNotifiedAsync(requestId);
        await fixture.Bus.Publish(scope, context => context.MessageId = messageId);

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(messageId) == 2), "The second delivery never reached the consumer.");
        // Anything the second delivery had added to the outbox would be published within this.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(2, (await NotificationsOfAsync(requestId)).Count);
        Assert.Single(fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId));
        // One to the firm's queue; Finago, confirmed by hand, is sent nothing either time.
        Assert.Equal("accounting-firm", Assert.Single(NoticesOf(requestId)).Recipient);
        Assert.Empty(fixture.PublishedRecipientEvents.Of<ErasureNoticeSent>(e => e.RequestId == requestId));
    }

    [Fact]
    public async Task Two_scopes_of_one_request_notified_in_one_batch_before_it_is_saved_notify_each_recipient_once()
    {
        var subjectId = Guid.NewGuid();
        await DiscloseAsync("accounting-firm", subjectId, ["basic-data"]);
        await DiscloseAsync("finago", subjectId, ["payroll"]);
        var requestId = Guid.NewGuid();

        // As the batch consumer does with two scopes of one request in one batch (a request resolved again under a new
        // message id): both notified in one unit of work, saved once after the second.
        var reports = await fixture.InDisclosureLogAsync(async (db, outbox) =>
        {
            var options = fixture.DisclosureLog.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ErasureNoticeOptions>>().Value;
            var counts = new List<int>();
            for (var scope = 0; scope < 2; scope++)
            {
                counts.Add(await IntegrationEvents.NotifyRecipientsOfErasure.NotifyAsync(db, outbox, ScopeOf(requestId, subjectId), fixture.Clock.GetUtcNow(),
                    options.ConfirmWithin, fixture.Schemas, default));
            }

            await db.SaveChangesAsync();
            return counts;
        });

        Assert.Equal([2, 2], reports);
        Assert.Equal(["accounting-firm", "finago"], (await NotificationsOfAsync(requestId)).Select(n => n.Recipient).Order());
        // Both reports name the same two notices, and the firm's queue is sent one.
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId).Count == 2),
            "The two reports of recipients notified were not published.");
        var notified = fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId);
        Assert.Equal(notified[0].Recipients.Select(r => r.NotificationId).Order(), notified[1].Recipients.Select(r => r.NotificationId).Order());
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => NoticesOf(requestId).Count > 0), "The firm was not sent its notice.");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("accounting-firm", Assert.Single(NoticesOf(requestId)).Recipient);
    }

    [Fact]
    public async Task Erasure_of_a_subject_nobody_received_reports_an_empty_list_of_recipients()
    {
        var requestId = Guid.NewGuid();

        await fixture.Bus.Publish(ScopeOf(requestId, Guid.NewGuid()));

        var reported = await SingleRecipientsNotifiedAsync(requestId);
        Assert.Empty(reported.Recipients);
        Assert.Empty(await NotificationsOfAsync(requestId));
    }

    [Fact]
    public async Task Processor_confirmation_confirms_the_notice_and_is_passed_on_to_rights_requests()
    {
        var (requestId, notification) = await NotifyFinagoAsync();
        // Finer than PostgreSQL keeps: what is stored and what is passed on must still agree.
        var confirmedAt = fixture.Clock.GetUtcNow().AddHours(3).AddTicks(7);

        await fixture.ConfirmAsAsync("finago", new ProcessorConfirmedErasure(notification.Id, requestId, "finago", confirmedAt, "Erased 2 records"));

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId).Count == 1),
            "RecipientConfirmedErasure was not published.");
        var confirmed = fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId)[0];
        var stored = (await NotificationsOfAsync(requestId)).Single();
        Assert.Equal(confirmedAt.AddTicks(-7), stored.ConfirmedAt);
        Assert.Equal(new RecipientConfirmedErasure(requestId, "finago", stored.ConfirmedAt!.Value), confirmed);
        Assert.Equal("Erased 2 records", stored.Detail);
        Assert.Equal(ErasureNotificationStatuses.Confirmed, stored.StatusAt(fixture.Clock.GetUtcNow().AddYears(1)));

        // A second word from the processor (a new message) changes nothing and is not passed on again.
        var again = Guid.NewGuid();
        await fixture.ConfirmAsAsync("finago", new ProcessorConfirmedErasure(notification.Id, requestId, "finago", confirmedAt.AddHours(1), "again"), again);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(again) >= 1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId));
        Assert.Equal("Erased 2 records", (await NotificationsOfAsync(requestId)).Single().Detail);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_confirmation_is_claimed_in_the_inbox_only_once_it_holds_the_notice_s_row_lock(bool asTheOneConfirmationOfEveryKind)
    {
        var (requestId, notification) = await NotifyFinagoAsync();
        // The erasure's own confirmation has a consumer of its own; the one message for every kind is taken in batches.
        Task ConfirmAsync() => asTheOneConfirmationOfEveryKind
            ? fixture.ConfirmAsAsync("finago", new ProcessorConfirmedNotice(notification.Id, requestId, "finago", RecipientNoticeKinds.Erasure, fixture.Clock.GetUtcNow(), null))
            : fixture.ConfirmAsAsync("finago", new ProcessorConfirmedErasure(notification.Id, requestId, "finago", fixture.Clock.GetUtcNow(), null));

        // The test holds the notice's row as a staff confirmation, or a processor's earlier message, would: the
        // confirmation's claim waits for it, in the one statement that claims the message and locks the notice.
        var released = false;
        await fixture.InDisclosureLogAsync(async (db, _) =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlAsync($"SELECT id FROM erasure_notifications WHERE id = {notification.Id} FOR UPDATE");
            await ConfirmAsync();
            Assert.True(await DisclosureLogFixture.EventuallyAsync(async () => await fixture.InDisclosureLogAsync((other, _) => InboxClaims.WaitingOnALockAsync(other)) >= 1),
                "The confirmation's claim did not wait for the notice's row lock.");
            Assert.Empty(fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId));
            await transaction.RollbackAsync();
            released = true;
            return 0;
        });

        Assert.True(released);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId).Count == 1),
            "The confirmation was not recorded once the lock was released.");
        Assert.NotNull((await NotificationsOfAsync(requestId)).Single().ConfirmedAt);
    }

    [Fact]
    public async Task Confirmation_naming_another_recipient_does_not_confirm_the_notice()
    {
        var (requestId, notification) = await NotifyFinagoAsync();
        var messageId = Guid.NewGuid();

        await fixture.ConfirmAsAsync("verkko24", new ProcessorConfirmedErasure(notification.Id, requestId, "verkko24", fixture.Clock.GetUtcNow(), null), messageId);

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(messageId) >= 1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Null((await NotificationsOfAsync(requestId)).Single().ConfirmedAt);
        Assert.Empty(fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId));
    }

    [Fact]
    public async Task Confirmation_for_a_recipient_that_came_through_another_recipients_exchange_or_was_published_is_ignored()
    {
        var (requestId, notification) = await NotifyFinagoAsync();
        var throughOther = Guid.NewGuid();
        var published = Guid.NewGuid();

        // The accounting firm's processor speaking for Finago, and anyone publishing to the message type's exchange.
        await fixture.ConfirmAsAsync("accounting-firm", new ProcessorConfirmedErasure(notification.Id, requestId, "finago", fixture.Clock.GetUtcNow(), null), throughOther);
        await fixture.Bus.Publish(new ProcessorConfirmedErasure(notification.Id, requestId, "finago", fixture.Clock.GetUtcNow(), null), c => c.MessageId = published);

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(throughOther) >= 1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Null((await NotificationsOfAsync(requestId)).Single().ConfirmedAt);
        Assert.Empty(fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId));
    }

    [Fact]
    public async Task Unconfirmed_notice_shows_overdue_once_the_clock_passes_its_confirm_by_time()
    {
        var (requestId, notification) = await NotifyFinagoAsync();
        Assert.Equal(ErasureNotificationStatuses.Notified, (await ListAsync(requestId.ToString(), null)).Single().Status);
        Assert.DoesNotContain(await ListAsync(requestId.ToString(), "true"), n => n.Id == notification.Id);

        fixture.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        Assert.Equal(ErasureNotificationStatuses.Overdue, (await ListAsync(requestId.ToString(), null)).Single().Status);
        Assert.Contains(await ListAsync(null, "true"), n => n.Id == notification.Id);
        Assert.DoesNotContain(await ListAsync(null, "false"), n => n.Id == notification.Id);
        // The clock moved past a refresh interval, so the monitor counts again and the gauge reports it.
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => ObserveOverdueGauge() >= 1), "The overdue gauge did not count the notice.");
    }

    [Fact]
    public async Task Staff_confirmation_is_recorded_once_as_the_caller_and_a_second_one_is_a_conflict()
    {
        var (requestId, notification) = await NotifyFinagoAsync();
        var body = new ConfirmNoticeBody("Finago confirmed by phone");

        var first = await fixture.InDisclosureLogAsync((db, outbox) =>
            ErasureNotificationsApi.ConfirmErasure(notification.Id, body, DisclosureLogFixture.Staff, db, outbox, fixture.Clock, default));
        var second = await fixture.InDisclosureLogAsync((db, outbox) =>
            ErasureNotificationsApi.ConfirmErasure(notification.Id, body, DisclosureLogFixture.Staff, db, outbox, fixture.Clock, default));
        var unknown = await fixture.InDisclosureLogAsync((db, outbox) =>
            ErasureNotificationsApi.ConfirmErasure(Guid.NewGuid(), body, DisclosureLogFixture.Staff, db, outbox, fixture.Clock, default));

        var confirmed = Assert.IsType<Ok<ErasureNotificationDto>>(first.Result).Value!;
        Assert.Equal(ErasureNotificationStatuses.Confirmed, confirmed.Status);
        Assert.Equal(DisclosureLogFixture.StaffActor, confirmed.ConfirmedBy);
        Assert.Equal("Finago confirmed by phone", confirmed.Detail);
        Assert.Equal(409, Assert.IsType<ProblemHttpResult>(second.Result).StatusCode);
        Assert.Equal(404, Assert.IsType<ProblemHttpResult>(unknown.Result).StatusCode);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId).Count == 1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId));
    }

    [Fact]
    public async Task Disclosure_to_a_recipient_told_of_erasures_sends_it_a_copy_and_one_to_staff_does_not()
    {
        var subjectId = Guid.NewGuid();
        var toStaff = await DiscloseAsync("staff", subjectId, ["basic-data"]);
        var toFirm = await DiscloseAsync("accounting-firm", subjectId, ["payroll"], new DisclosedSubjectInput(Phone: "040 123 4567", BusinessId: "1572860-0"));

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<DataDisclosed>(e => e.DisclosureId == toFirm.Id).Count == 1));
        var copy = fixture.Captured.Of<DataDisclosed>(e => e.DisclosureId == toFirm.Id)[0];
        Assert.Equal(new SubjectKeys(Phone: "+358401234567", BusinessId: "1572860-0"), copy.Subject);
        Assert.Equal(["payroll"], copy.Categories);
        Assert.Equal("contract", copy.LegalBasis);
        // Sent in commit order: the earlier disclosure to staff would have arrived first.
        Assert.Empty(fixture.Captured.Of<DataDisclosed>(e => e.DisclosureId == toStaff.Id));
        Assert.Empty(fixture.PublishedRecipientEvents.Of<DataDisclosed>(e => e.SubjectId == subjectId));

        var listed = await fixture.InDisclosureLogAsync((db, _) => DisclosuresApi.ListDisclosures(subjectId.ToString(), db, default));
        Assert.Equal([toStaff.Id, toFirm.Id], Assert.IsType<Ok<List<DisclosureDto>>>(listed.Result).Value!.Select(d => d.Id));
        var one = await fixture.InDisclosureLogAsync((db, _) => DisclosuresApi.GetDisclosure(toFirm.Id, db, default));
        Assert.Equal("+358*******67", Assert.IsType<Ok<DisclosureDto>>(one.Result).Value!.Subject.Phone);
        var missing = await fixture.InDisclosureLogAsync((db, _) => DisclosuresApi.GetDisclosure(Guid.NewGuid(), db, default));
        Assert.Equal(404, Assert.IsType<ProblemHttpResult>(missing.Result).StatusCode);
    }

    private async Task<DisclosureDto> DiscloseAsync(string recipient, Guid subjectId, string[] categories, DisclosedSubjectInput? subject = null)
    {
        var result = await fixture.InDisclosureLogAsync((db, outbox) => DisclosuresApi.RecordDisclosure(
            new RecordDisclosureBody(recipient, subjectId.ToString(), categories, "contract", subject), db, outbox, fixture.Schemas, fixture.Clock, default));
        return Assert.IsType<Created<DisclosureDto>>(result.Result).Value!;
    }

    /// <summary>A subject disclosed only to Finago, which has no automated channel, notified of an erasure.</summary>
    private async Task<(Guid RequestId, ErasureNotification Notification)> NotifyFinagoAsync()
    {
        var subjectId = Guid.NewGuid();
        await DiscloseAsync("finago", subjectId, ["payroll"]);
        var requestId = Guid.NewGuid();
        await fixture.Bus.Publish(ScopeOf(requestId, subjectId));
        await SingleRecipientsNotifiedAsync(requestId);
        return (requestId, (await NotificationsOfAsync(requestId)).Single());
    }

    private static ErasureScopeResolved ScopeOf(Guid requestId, Guid subjectId) =>
        new(requestId, [subjectId], HeldIn: [], NotHeldIn: []);

    private async Task<RecipientsNotified> SingleRecipientsNotifiedAsync(Guid requestId)
    {
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId).Count > 0),
            "RecipientsNotified was not published.");
        return Assert.Single(fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId));
    }

    private IReadOnlyList<ErasureNoticeSent> NoticesOf(Guid requestId) => fixture.Captured.Of<ErasureNoticeSent>(e => e.RequestId == requestId);

    private Task<List<ErasureNotification>> NotificationsOfAsync(Guid requestId) =>
        fixture.InDisclosureLogAsync((db, _) => db.ErasureNotifications.AsNoTracking().Where(n => n.RequestId == requestId).ToListAsync());

    private async Task<List<ErasureNotificationDto>> ListAsync(string? request, string? overdue)
    {
        var result = await fixture.InDisclosureLogAsync((db, _) => ErasureNotificationsApi.ListNotifications(request, overdue, DisclosureLogFixture.Staff, db, fixture.Clock, default));
        return Assert.IsType<Ok<List<ErasureNotificationDto>>>(result.Result).Value!;
    }

    private static long ObserveOverdueGauge()
    {
        long? observed = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OverdueNotices.MeterName && instrument.Name == OverdueNotices.ErasureGaugeName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return observed ?? -1;
    }
}
