using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>
/// Registry found where the subject is: registers holding them await an answer, the rest are not-held at once; the
/// registers erased with the scope answer in the same event.
/// </summary>
public sealed class RecordErasureScope(
    RightsRequestsContext db, IEventOutbox outbox, RightsRequestsMetrics metrics, TimeProvider clock, ILogger<RecordErasureScope> logger)
    : ErasureProgressConsumer<ErasureScopeResolved>(db, outbox, metrics, clock, logger)
{
    protected override Guid RequestIdOf(ErasureScopeResolved message) => message.RequestId;

    protected override void Record(RightsRequest request, ErasureScopeResolved message, DateTimeOffset now)
    {
        request.RecordScope(message.HeldIn, message.NotHeldIn, now);
        request.RecordRegisterAnswers(message.Answered ?? []);
    }
}
