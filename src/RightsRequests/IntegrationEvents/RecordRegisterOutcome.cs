using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>
/// A register retried on its own queue answered the erasure (the others answer with the scope); an answer may overtake
/// the scope, so a register's row is added when missing.
/// </summary>
public sealed class RecordRegisterOutcome(
    RightsRequestsContext db, IEventOutbox outbox, RightsRequestsMetrics metrics, TimeProvider clock, ILogger<RecordRegisterOutcome> logger)
    : ErasureProgressConsumer<ErasureCompleted>(db, outbox, metrics, clock, logger)
{
    protected override Guid RequestIdOf(ErasureCompleted message) => message.RequestId;

    protected override void Record(RightsRequest request, ErasureCompleted message, DateTimeOffset now) =>
        request.RecordRegisterAnswers(message.Registers);
}
