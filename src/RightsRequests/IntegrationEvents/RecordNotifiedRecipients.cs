using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>
/// DisclosureLog told the recipients of the subject's data (Art 19) of an erasure, a rectification, a restriction or its
/// lifting; an empty list means nobody to wait for. An erasure's notification carries the Registry's scope it was sent
/// for: registers holding the subject await an answer, the rest are not-held at once, and the registers erased with the
/// scope answer in it, all recorded with the recipients in one transaction.
/// </summary>
public sealed class RecordNotifiedRecipients(
    RightsRequestsContext db, IEventOutbox outbox, RightsRequestsMetrics metrics, TimeProvider clock, ILogger<RecordNotifiedRecipients> logger)
    : ErasureProgressConsumer<RecipientsNotified>(db, outbox, metrics, clock, logger)
{
    protected override Guid RequestIdOf(RecipientsNotified message) => message.RequestId;

    protected override void Record(RightsRequest request, RecipientsNotified message, DateTimeOffset now)
    {
        if (message.ErasureScope is { } scope)
        {
            request.RecordScope(scope.HeldIn, scope.NotHeldIn, now);
            request.RecordRegisterAnswers(scope.Answered ?? []);
        }

        // A restriction's recipients are told twice: of the restriction (the request waits for them) and, once it is
        // lifted, of the lifting (recorded with the lifting, after the request completed).
        if (message.Notice == RecipientNoticeKinds.RestrictionLifted)
        {
            request.RecordLiftingNotices(message.Recipients, now);
        }
        else
        {
            request.RecordNotifiedRecipients(message.Recipients, now);
        }
    }
}
