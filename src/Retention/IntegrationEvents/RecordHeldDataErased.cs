using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.Retention.IntegrationEvents;

/// <summary>The Registry erased what a lifted legal hold kept: the hold shows how many records went, and when.</summary>
public sealed partial class RecordHeldDataErased(RetentionContext db, TimeProvider clock, ILogger<RecordHeldDataErased> logger)
    : IdempotentConsumer<HeldDataErased, RetentionContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ConsumeContext<HeldDataErased> context, CancellationToken cancellationToken)
    {
        var erased = context.Message;
        var hold = await Db.PlacedLegalHolds.SingleOrDefaultAsync(h => h.Id == erased.HoldId, cancellationToken);
        if (hold is null)
        {
            // Only Retention lifts holds, so this is another system's mistake; retrying cannot fix it.
            LogUnknownHold(logger, erased.HoldId);
            return;
        }

        hold.RecordErased(erased.RecordsErased, erased.ErasedAt);
        LogErased(logger, hold.Id, erased.RecordsErased, erased.RecordsStillHeld);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Registry reported erasing what unknown legal hold {HoldId} kept; nothing to record")]
    private static partial void LogUnknownHold(ILogger logger, Guid holdId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lifted legal hold {HoldId}: {RecordsErased} records erased, {RecordsStillHeld} still kept by another hold")]
    private static partial void LogErased(ILogger logger, Guid holdId, int recordsErased, int recordsStillHeld);
}
