using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// A processor confirmed that it erased the subject's data: the notice is confirmed and RightsRequests is told. A
/// notice confirmed already (by staff, or an earlier message) stays as it was and is not announced twice.
/// </summary>
public sealed partial class RecordProcessorConfirmation(
    DisclosureLogContext db,
    IEventOutbox outbox,
    TimeProvider clock,
    ILogger<RecordProcessorConfirmation> logger)
    : IdempotentConsumer<ProcessorConfirmedErasure, DisclosureLogContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ConsumeContext<ProcessorConfirmedErasure> context, CancellationToken cancellationToken)
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
            $"SELECT id FROM erasure_notifications WHERE id = {confirmation.NotificationId} FOR UPDATE", cancellationToken);
        var notification = await Db.ErasureNotifications.SingleOrDefaultAsync(n => n.Id == confirmation.NotificationId, cancellationToken);
        // Retrying cannot make an unknown notice appear, nor make one recipient's word count for another.
        if (notification is null || notification.RequestId != confirmation.RequestId || notification.Recipient != confirmation.Recipient)
        {
            LogUnmatched(_logger, confirmation.NotificationId, confirmation.Recipient);
            return;
        }

        if (!notification.Confirm(confirmation.ConfirmedAt, confirmation.Recipient, confirmation.Detail))
        {
            LogAlreadyConfirmed(_logger, notification.Id, notification.Recipient);
            return;
        }

        outbox.Add(new RecipientConfirmedErasure(notification.RequestId, notification.Recipient, notification.ConfirmedAt!.Value));
        LogConfirmed(_logger, notification.RequestId, notification.Recipient);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Erasure confirmation from {Recipient} names notification {NotificationId}, which was not sent to it; ignored")]
    private static partial void LogUnmatched(ILogger logger, Guid notificationId, string recipient);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erasure notification {NotificationId} to {Recipient} was confirmed already")]
    private static partial void LogAlreadyConfirmed(ILogger logger, Guid notificationId, string recipient);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erasure request {RequestId}: {Recipient} confirmed the erasure")]
    private static partial void LogConfirmed(ILogger logger, Guid requestId, string recipient);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A erasure confirmation naming {Recipient} for notification {NotificationId} did not come through that recipient's own exchange; ignored")]
    private static partial void LogNotFromRecipient(ILogger logger, Guid notificationId, string recipient);
}
