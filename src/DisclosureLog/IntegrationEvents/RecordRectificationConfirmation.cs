using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>A processor confirmed that it corrected the subject's data: the notice is confirmed and RightsRequests is told, once.</summary>
public sealed partial class RecordRectificationConfirmation(
    DisclosureLogContext db, IEventOutbox outbox, TimeProvider clock, ILogger<RecordRectificationConfirmation> logger)
    : IdempotentConsumer<ProcessorConfirmedRectification, DisclosureLogContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ConsumeContext<ProcessorConfirmedRectification> context, CancellationToken cancellationToken)
    {
        var confirmation = context.Message;
        if (!ProcessorConfirmations.CameFrom(context, confirmation.Recipient))
        {
            // Another processor, or anyone else, speaking for this recipient: the broker did not vouch for it.
            LogNotFromRecipient(_logger, confirmation.NotificationId, confirmation.Recipient);
            return;
        }

        // Locked: a processor retrying with a new message id must wait for the first confirmation and then see it. The lock
        // is a query of its own, as EF cannot materialise the notice's complex properties from raw SQL.
        await Db.Database.ExecuteSqlAsync(
            $"SELECT id FROM rectification_notifications WHERE id = {confirmation.NotificationId} FOR UPDATE", cancellationToken);
        var notification = await Db.RectificationNotifications.SingleOrDefaultAsync(n => n.Id == confirmation.NotificationId, cancellationToken);
        if (notification is null || notification.RequestId != confirmation.RequestId || notification.Recipient != confirmation.Recipient)
        {
            LogUnmatched(_logger, confirmation.NotificationId, confirmation.Recipient);
            return;
        }

        if (notification.Confirm(confirmation.ConfirmedAt, confirmation.Recipient, confirmation.Detail))
        {
            outbox.Add(new RecipientConfirmedRectification(notification.RequestId, notification.Recipient, notification.ConfirmedAt!.Value));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Rectification confirmation from {Recipient} names notification {NotificationId}, which was not sent to it; ignored")]
    private static partial void LogUnmatched(ILogger logger, Guid notificationId, string recipient);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A rectification confirmation naming {Recipient} for notification {NotificationId} did not come through that recipient's own exchange; ignored")]
    private static partial void LogNotFromRecipient(ILogger logger, Guid notificationId, string recipient);
}
