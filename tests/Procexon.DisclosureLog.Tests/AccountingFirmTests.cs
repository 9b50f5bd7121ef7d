using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Procexon.Contracts;
using Procexon.DisclosureLog.Apis;
using Procexon.Processors.AccountingFirm.Apis;

namespace Procexon.DisclosureLog.Tests;

[Collection(DisclosureLogCollection.Name)]
public sealed class AccountingFirmTests(DisclosureLogFixture fixture)
{
    [Fact]
    public async Task Accounting_firm_keeps_a_copy_of_data_disclosed_to_it_and_erases_it_on_notice_with_a_confirmation()
    {
        var subjectId = Guid.NewGuid();
        var elsewhere = Guid.NewGuid();
        var disclosureId = Guid.NewGuid();
        var keys = new SubjectKeys(Email: "matti@example.fi", CustomerNumber: "C-2002");
        // Misrouted to the firm's queue: its consumers still check the recipient.
        await fixture.SendToFirmAsync(new DataDisclosed(Guid.NewGuid(), "finago", elsewhere, keys, ["payroll"], "contract"));
        await fixture.SendToFirmAsync(new DataDisclosed(disclosureId, "accounting-firm", subjectId, keys, ["basic-data", "accounting-material"], "law"));

        Assert.True(await DisclosureLogFixture.EventuallyAsync(async () => (await ClientRecordsOfAsync(subjectId)).Count == 1),
            "The firm did not keep its copy.");
        var copy = (await ClientRecordsOfAsync(subjectId))[0];
        Assert.Equal(disclosureId, copy.DisclosureId);
        Assert.Equal("m***@example.fi", copy.Email);
        Assert.Equal(["basic-data", "accounting-material"], copy.Categories);
        // A disclosure to another recipient is none of the firm's business.
        Assert.Empty(await ClientRecordsOfAsync(elsewhere));
        // At rest the copy holds the identifiers only encrypted: the row read back as text with SQL names nobody.
        var row = await fixture.InAccountingFirmAsync(db => db.Database
            .SqlQuery<string>($"SELECT r::text AS \"Value\" FROM client_records r WHERE subject_id = {subjectId}").SingleAsync());
        Assert.DoesNotContain("matti", row, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("C-2002", row, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(subjectId.ToString(), row, StringComparison.Ordinal);

        var notificationId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        await fixture.SendToFirmAsync(new ErasureNoticeSent(notificationId, requestId, "accounting-firm", [subjectId], ["basic-data"]));

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<ProcessorConfirmedNotice>(e => e.NotificationId == notificationId).Count == 1),
            "The firm did not confirm the erasure.");
        var confirmation = fixture.Captured.Of<ProcessorConfirmedNotice>(e => e.NotificationId == notificationId)[0];
        // The one confirmation message for every kind of notice.
        Assert.Equal(RecipientNoticeKinds.Erasure, confirmation.Notice);
        Assert.Equal(requestId, confirmation.RequestId);
        Assert.Equal("accounting-firm", confirmation.Recipient);
        Assert.Equal("Erased 1 records", confirmation.Detail);
        Assert.Empty(await ClientRecordsOfAsync(subjectId));
        var logged = await fixture.InAccountingFirmAsync(db => db.ErasureLog.AsNoTracking().SingleAsync(e => e.NotificationId == notificationId));
        Assert.Equal(1, logged.RecordsErased);
        Assert.Equal(requestId, logged.RequestId);
    }

    [Fact]
    public async Task Erasure_through_the_disclosure_log_reaches_the_accounting_firm_and_its_confirmation_comes_back()
    {
        var subjectId = Guid.NewGuid();
        var disclosed = await fixture.InDisclosureLogAsync((db, outbox) => DisclosuresApi.RecordDisclosure(
            new RecordDisclosureBody("accounting-firm", subjectId.ToString(), ["basic-data"], "contract", new DisclosedSubjectInput(Email: "anna@example.fi")),
            db, outbox, fixture.Schemas, fixture.Clock, default));
        Assert.IsType<Created<DisclosureDto>>(disclosed.Result);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(async () => (await ClientRecordsOfAsync(subjectId)).Count == 1),
            "The disclosure did not reach the firm.");

        var requestId = Guid.NewGuid();
        await fixture.Bus.Publish(new ErasureScopeResolved(requestId, [subjectId], [], []));

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId).Count == 1),
            "The firm's confirmation did not come back to the disclosure log.");
        Assert.Equal("accounting-firm", fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId)[0].Recipient);
        Assert.Empty(await ClientRecordsOfAsync(subjectId));
        var notices = await fixture.InDisclosureLogAsync((db, _) => ErasureNotificationsApi.ListNotifications(requestId.ToString(), null, DisclosureLogFixture.Staff, db, fixture.Clock, default));
        var notice = Assert.Single(Assert.IsType<Ok<List<ErasureNotificationDto>>>(notices.Result).Value!);
        Assert.Equal("confirmed", notice.Status);
        Assert.Equal("Erased 1 records", notice.Detail);
    }

    [Fact]
    public async Task One_erasure_notice_sent_twice_at_once_under_two_message_ids_is_acted_on_and_confirmed_once()
    {
        var subjectId = Guid.NewGuid();
        var disclosureId = Guid.NewGuid();
        await fixture.SendToFirmAsync(new DataDisclosed(disclosureId, "accounting-firm", subjectId, new SubjectKeys(Email: "kahdesti@example.fi"), ["basic-data"], "law"));
        Assert.True(await DisclosureLogFixture.EventuallyAsync(async () => (await ClientRecordsOfAsync(subjectId)).Count == 1), "The firm did not keep its copy.");

        var notificationId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        var notice = new ErasureNoticeSent(notificationId, requestId, "accounting-firm", [subjectId], ["basic-data"]);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        // Sent together: in one batch of the firm's consumer or in two, the notice is acted on once.
        await Task.WhenAll(fixture.SendToFirmAsync(notice, first), fixture.SendToFirmAsync(notice, second));

        await fixture.FirmConsumed.WaitUntilConsumedAsync(first, 1, DisclosureLogFixture.Delivery);
        await fixture.FirmConsumed.WaitUntilConsumedAsync(second, 1, DisclosureLogFixture.Delivery);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<ProcessorConfirmedNotice>(e => e.NotificationId == notificationId).Count > 0),
            "The firm did not confirm the erasure.");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("Erased 1 records", Assert.Single(fixture.Captured.Of<ProcessorConfirmedNotice>(e => e.NotificationId == notificationId)).Detail);
        Assert.Equal(1, await fixture.InAccountingFirmAsync(db => db.ErasureLog.CountAsync(e => e.NotificationId == notificationId)));
        Assert.Empty(await ClientRecordsOfAsync(subjectId));
    }

    [Fact]
    public async Task Accounting_firm_does_not_hear_its_events_when_they_are_published_rather_than_sent_to_its_queue()
    {
        var subjectId = Guid.NewGuid();
        var disclosureId = Guid.NewGuid();
        await fixture.Bus.Publish(new DataDisclosed(disclosureId, "accounting-firm", subjectId, new SubjectKeys(Email: "julkinen@example.fi"), ["basic-data"], "law"));

        // The probe bound to the publish exchange got it, so it was routed; the firm's queue is bound to no such exchange.
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.PublishedRecipientEvents.Of<DataDisclosed>(e => e.DisclosureId == disclosureId).Count == 1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await ClientRecordsOfAsync(subjectId));
        Assert.Empty(fixture.Captured.Of<DataDisclosed>(e => e.DisclosureId == disclosureId));
    }

    [Fact]
    public async Task After_an_erasure_notice_to_two_recipients_the_firms_queue_got_exactly_the_firms_notice()
    {
        var subjectId = Guid.NewGuid();
        foreach (var recipient in new[] { "accounting-firm", "finago" })
        {
            var disclosed = await fixture.InDisclosureLogAsync((db, outbox) => DisclosuresApi.RecordDisclosure(
                new RecordDisclosureBody(recipient, subjectId.ToString(), ["basic-data"], "contract", new DisclosedSubjectInput(Email: "kaksi@example.fi")),
                db, outbox, fixture.Schemas, fixture.Clock, default));
            Assert.IsType<Created<DisclosureDto>>(disclosed.Result);
        }

        var requestId = Guid.NewGuid();
        await fixture.Bus.Publish(new ErasureScopeResolved(requestId, [subjectId], [], []));

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == requestId).Count == 1),
            "The firm's confirmation did not come back to the disclosure log.");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var received = fixture.Captured.Of<ErasureNoticeSent>(e => e.RequestId == requestId);
        Assert.Equal("accounting-firm", Assert.Single(received).Recipient);
        Assert.Equal(2, (await fixture.InDisclosureLogAsync((db, _) => db.ErasureNotifications.CountAsync(n => n.RequestId == requestId))));
        // The firm consumed what it got and nothing waits for it.
        Assert.Equal(0u, await fixture.MessagesWaitingInAsync(DisclosureLogFixture.FirmQueue));
    }

    [Fact]
    public async Task The_firms_encryption_of_copies_kept_in_clear_runs_before_a_migration_the_firm_has()
    {
        var upgrade = new Processors.AccountingFirm.Infrastructure.EncryptClearClientIdentifiers(null!);

        // A name that matched no migration would skip the upgrade, and the migration after it would refuse to run.
        var migrations = await fixture.InAccountingFirmAsync(db => Task.FromResult(db.Database.GetMigrations().ToList()));
        Assert.Contains(upgrade.BeforeMigration, migrations);
    }

    private async Task<List<ClientRecordDto>> ClientRecordsOfAsync(Guid subjectId)
    {
        var result = await fixture.InAccountingFirmAsync(db => ClientRecordsApi.ListClientRecords(subjectId.ToString(), db, default));
        return Assert.IsType<Ok<List<ClientRecordDto>>>(result.Result).Value!;
    }
}
