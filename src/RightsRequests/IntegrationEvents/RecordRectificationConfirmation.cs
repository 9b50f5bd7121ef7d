using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>A notified recipient confirmed the rectification (Art 19); it may overtake the notification list.</summary>
public sealed class RecordRectificationConfirmation(
    RightsRequestsContext db, IEventOutbox outbox, RightsRequestsMetrics metrics, TimeProvider clock, ILogger<RecordRectificationConfirmation> logger)
    : ErasureProgressConsumer<RecipientConfirmedRectification>(db, outbox, metrics, clock, logger)
{
    protected override Guid RequestIdOf(RecipientConfirmedRectification message) => message.RequestId;

    protected override void Record(RightsRequest request, RecipientConfirmedRectification message, DateTimeOffset now) =>
        request.RecordRecipientConfirmation(message.Recipient, message.ConfirmedAt);
}
