using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>
/// A notified recipient confirmed a notice of any kind that travels as <see cref="RecipientConfirmedNotice"/>: a
/// restriction notice counts towards the request's completion like a rectification's; the notice of its lifting is
/// recorded with the lifting. It may overtake the notification list, so the row is added when missing.
/// </summary>
public sealed class RecordNoticeConfirmation(
    RightsRequestsContext db, IEventOutbox outbox, RightsRequestsMetrics metrics, TimeProvider clock, ILogger<RecordNoticeConfirmation> logger)
    : ErasureProgressConsumer<RecipientConfirmedNotice>(db, outbox, metrics, clock, logger)
{
    protected override Guid RequestIdOf(RecipientConfirmedNotice message) => message.RequestId;

    protected override void Record(RightsRequest request, RecipientConfirmedNotice message, DateTimeOffset now)
    {
        if (message.Notice == RecipientNoticeKinds.RestrictionLifted)
        {
            request.RecordLiftingConfirmation(message.Recipient, message.ConfirmedAt, now);
        }
        else
        {
            request.RecordRecipientConfirmation(message.Recipient, message.ConfirmedAt);
        }
    }
}
