using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>Registry found where the subject is for a right other than erasure: the registers concerned await an answer.</summary>
public sealed class RecordRightScope(
    RightsRequestsContext db, IEventOutbox outbox, RightsRequestsMetrics metrics, TimeProvider clock, ILogger<RecordRightScope> logger)
    : ErasureProgressConsumer<SubjectRightScopeResolved>(db, outbox, metrics, clock, logger)
{
    protected override Guid RequestIdOf(SubjectRightScopeResolved message) => message.RequestId;

    protected override void Record(RightsRequest request, SubjectRightScopeResolved message, DateTimeOffset now) =>
        request.RecordRightScope(message, now);
}
