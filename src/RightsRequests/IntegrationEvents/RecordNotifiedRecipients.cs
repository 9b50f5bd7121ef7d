using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>DisclosureLog told the recipients of the subject's data (Art 19); an empty list means nobody to wait for.</summary>
public sealed class RecordNotifiedRecipients(
    RightsRequestsContext db, IEventOutbox outbox, RightsRequestsMetrics metrics, TimeProvider clock, ILogger<RecordNotifiedRecipients> logger)
    : ErasureProgressConsumer<RecipientsNotified>(db, outbox, metrics, clock, logger)
{
    protected override Guid RequestIdOf(RecipientsNotified message) => message.RequestId;

    protected override void Record(RightsRequest request, RecipientsNotified message, DateTimeOffset now) =>
        request.RecordNotifiedRecipients(message.Recipients, now);
}
