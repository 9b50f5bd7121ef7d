using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Procexon.Contracts;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Model;

namespace Procexon.DisclosureLog.Tests;

/// <summary>Art 19 for rectification: every recipient of the subject's data is told the correction, once, and confirms.</summary>
[Collection(DisclosureLogCollection.Name)]
public sealed class RectificationNoticeTests(DisclosureLogFixture fixture)
{
    [Fact]
    public async Task Rectification_scope_delivered_twice_notifies_each_recipient_once_and_the_firm_corrects_its_copy_and_confirms_once()
    {
        var subjectId = Guid.NewGuid();
        await DiscloseAsync("accounting-firm", subjectId, new DisclosedSubjectInput(Email: "vanha@example.fi"));
        await DiscloseAsync("finago", subjectId);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(async () =>
            (await fixture.InAccountingFirmAsync(db => db.ClientRecords.CountAsync(r => r.SubjectId == subjectId))) == 1), "The firm never kept its copy.");
        var requestId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var scope = ScopeOf(requestId, subjectId, [new FieldCorrection("email", "uusi@example.fi"), new FieldCorrection("address", "Uusitie 2")]);

        await fixture.Bus.Publish(scope, c => c.MessageId = messageId);
        await fixture.Bus.Publish(scope, c => c.MessageId = messageId);

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(messageId) == 2), "The second delivery never reached the consumer.");
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientConfirmedRectification>(e => e.RequestId == requestId).Count > 0),
            "The accounting firm's confirmation never reached RightsRequests.");
        await Task.Delay(TimeSpan.FromSeconds(2));

        var reported = Assert.Single(fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId));
        Assert.Equal(["accounting-firm", "finago"], reported.Recipients.Select(r => r.Recipient));
        var notifications = await fixture.InDisclosureLogAsync((db, _) => db.Set<RectificationNotification>().AsNoTracking().Where(n => n.RequestId == requestId).ToListAsync());
        Assert.Equal(2, notifications.Count);
        Assert.All(notifications, n => Assert.Equal(["email", "address"], n.Fields));
        // The firm's queue got its own notice only; Finago, confirmed by hand, was sent nothing.
        var notices = fixture.Captured.Of<RectificationNoticeSent>(e => e.RequestId == requestId);
        Assert.Equal(scope.Corrections, Assert.Single(notices, n => n.Recipient == "accounting-firm").Corrections);
        Assert.Single(notices);
        Assert.Empty(fixture.PublishedRecipientEvents.Of<RectificationNoticeSent>(e => e.RequestId == requestId));

        var copy = await fixture.InAccountingFirmAsync(db => db.ClientRecords.SingleAsync(r => r.SubjectId == subjectId));
        Assert.Equal("uusi@example.fi", copy.Email);
        Assert.Single(fixture.Captured.Of<RecipientConfirmedRectification>(e => e.RequestId == requestId));
        var confirmed = await fixture.InDisclosureLogAsync((db, _) => db.Set<RectificationNotification>().AsNoTracking()
            .Where(n => n.RequestId == requestId).ToDictionaryAsync(n => n.Recipient, n => n.ConfirmedAt));
        Assert.NotNull(confirmed["accounting-firm"]);
        Assert.Null(confirmed["finago"]);
    }

    [Fact]
    public async Task Processor_confirmation_delivered_twice_is_announced_once()
    {
        var subjectId = Guid.NewGuid();
        await DiscloseAsync("finago", subjectId);
        var requestId = Guid.NewGuid();
        await fixture.Bus.Publish(ScopeOf(requestId, subjectId, [new FieldCorrection("name", "Maija Uusinimi")]));
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId).Count > 0));
        var notificationId = Assert.Single(fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId)).Recipients[0].NotificationId;
        var confirmation = new ProcessorConfirmedRectification(notificationId, requestId, "finago", fixture.Clock.GetUtcNow(), "Corrected");
        var messageId = Guid.NewGuid();

        await fixture.ConfirmAsAsync("finago", confirmation, messageId);
        await fixture.ConfirmAsAsync("finago", confirmation, messageId);
        // A new message with the same content (a processor retrying) is not announced again either.
        await fixture.ConfirmAsAsync("finago", confirmation);

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(messageId) == 2));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(fixture.Captured.Of<RecipientConfirmedRectification>(e => e.RequestId == requestId));
    }

    [Fact]
    public async Task Scope_of_another_right_tells_no_recipient()
    {
        var subjectId = Guid.NewGuid();
        await DiscloseAsync("finago", subjectId);
        var requestId = Guid.NewGuid();
        var messageId = Guid.NewGuid();

        await fixture.Bus.Publish(ScopeOf(requestId, subjectId, [], SubjectRights.Access), c => c.MessageId = messageId);

        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Consumed.TimesConsumed(messageId) >= 1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId));
        Assert.Equal(0, await fixture.InDisclosureLogAsync((db, _) => db.Set<RectificationNotification>().CountAsync(n => n.RequestId == requestId)));
    }

    private async Task DiscloseAsync(string recipient, Guid subjectId, DisclosedSubjectInput? subject = null)
    {
        var result = await fixture.InDisclosureLogAsync((db, outbox) => DisclosuresApi.RecordDisclosure(
            new RecordDisclosureBody(recipient, subjectId.ToString(), ["basic-data"], "contract", subject), db, outbox, fixture.Schemas, fixture.Clock, default));
        Assert.IsType<Created<DisclosureDto>>(result.Result);
    }

    private static SubjectRightScopeResolved ScopeOf(Guid requestId, Guid subjectId, IReadOnlyList<FieldCorrection> corrections, string right = SubjectRights.Rectification) =>
        new(requestId, right, [subjectId], [], [], [], corrections, DateTimeOffset.UtcNow);
}

/// <summary>Stands in for RightsRequests for rectifications.</summary>
public sealed class CaptureRectificationEvents(CapturedEvents captured)
    : IConsumer<RecipientConfirmedRectification>
{
    public Task Consume(ConsumeContext<RecipientConfirmedRectification> context) => Capture(context.Message);

    private Task Capture(object message)
    {
        captured.Add(message);
        return Task.CompletedTask;
    }
}
