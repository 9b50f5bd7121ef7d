using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>The registers released the request's restriction: the lifting is complete.</summary>
public sealed class RecordRestrictionLifted(RightsRequestsContext db, TimeProvider clock, ILogger<RecordRestrictionLifted> logger)
    : IdempotentConsumer<RestrictionLifted, RightsRequestsContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RestrictionLifted> context, CancellationToken cancellationToken)
    {
        var request = await Db.LockRequestAsync(context.Message.RequestId, cancellationToken);
        request?.RestrictionLiftedIn(context.Message.Registers, context.Message.LiftedAt);
    }
}
