using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>A notified recipient confirmed the erasure; it may overtake the notification list, so its row is added when missing.</summary>
public sealed class RecordRecipientConfirmation(
    RightsRequestsContext db, IEventOutbox outbox, RightsRequestsMetrics metrics, TimeProvider clock, ILogger<RecordRecipientConfirmation> logger)
    : ErasureProgressConsumer<RecipientConfirmedErasure>(db, outbox, metrics, clock, logger)
{
    protected override Guid RequestIdOf(RecipientConfirmedErasure message) => message.RequestId;

    protected override void Record(RightsRequest request, RecipientConfirmedErasure message, DateTimeOffset now) =>
        request.RecordRecipientConfirmation(message.Recipient, message.ConfirmedAt);
}
