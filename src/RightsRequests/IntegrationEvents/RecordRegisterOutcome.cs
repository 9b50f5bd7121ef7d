using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>One register answered the erasure; it may overtake the scope, so its row is added when missing.</summary>
public sealed class RecordRegisterOutcome(
    RightsRequestsContext db, IEventOutbox outbox, RightsRequestsMetrics metrics, TimeProvider clock, ILogger<RecordRegisterOutcome> logger)
    : ErasureProgressConsumer<RegisterErasureCompleted>(db, outbox, metrics, clock, logger)
{
    protected override Guid RequestIdOf(RegisterErasureCompleted message) => message.RequestId;

    protected override void Record(RightsRequest request, RegisterErasureCompleted message, DateTimeOffset now) =>
        request.RecordRegisterAnswer(message);
}
