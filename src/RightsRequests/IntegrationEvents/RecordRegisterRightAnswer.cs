using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>
/// One register answered a right; for access and portability its copy of the subject's data is kept with the request
/// for the answer and the export. It may overtake the scope, so its row is added when missing.
/// </summary>
public sealed class RecordRegisterRightAnswer(
    RightsRequestsContext db, IEventOutbox outbox, RightsRequestsMetrics metrics, TimeProvider clock, ILogger<RecordRegisterRightAnswer> logger)
    : ErasureProgressConsumer<RegisterRightCompleted>(db, outbox, metrics, clock, logger)
{
    protected override Guid RequestIdOf(RegisterRightCompleted message) => message.RequestId;

    protected override void Record(RightsRequest request, RegisterRightCompleted message, DateTimeOffset now)
    {
        request.RecordRightAnswer(message);
        if (message.Right is SubjectRights.Access or SubjectRights.Portability)
        {
            Db.Add(new RegisterDataCopy
            {
                RequestId = request.Id,
                Register = message.Register,
                Name = message.RegisterName,
                Records = [.. message.Records],
                Processing = message.Processing,
                ReceivedAt = now,
            });
        }
    }
}
