using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.Retention.IntegrationEvents;

/// <summary>
/// The register erased data whose retention ended: the hold is closed as erased. If a legal hold placed by a person
/// kept the data instead, this hold stays released.
/// </summary>
public sealed partial class RecordRetainedDataErased(RetentionContext db, TimeProvider clock, ILogger<RecordRetainedDataErased> logger)
    : IdempotentConsumer<RetainedDataErased, RetentionContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RetainedDataErased> context, CancellationToken cancellationToken)
    {
        var erased = context.Message;
        var hold = await Db.LegalHolds.SingleOrDefaultAsync(h => h.Id == erased.HoldId, cancellationToken);
        if (hold is null)
        {
            // Retention only asks for erasures of its own holds, so this is another system's mistake; retrying cannot
            // fix it and the data is gone either way. Say so loudly and let the message go.
            LogUnknownHold(logger, erased.Register, erased.HoldId, erased.RetentionRule);
            return;
        }

        if (erased.RecordsErased == 0 && erased.RecordsKeptUnderLegalHold > 0)
        {
            // The statute let the data go but a legal hold placed by a person keeps it: this hold stays released, and
            // the person's hold reports the erasure once it is lifted (RecordHeldDataErased).
            LogKeptUnderLegalHold(logger, hold.Id, hold.Register, erased.RecordsKeptUnderLegalHold);
            return;
        }

        hold.RecordErased(erased.ErasedAt);
        LogErased(logger, hold.Id, hold.Register, erased.RecordsErased, hold.Records);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Legal hold {HoldId} in {Register} ended, but {Records} records stay under a legal hold placed by a person")]
    private static partial void LogKeptUnderLegalHold(ILogger logger, Guid holdId, string register, int records);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Register {Register} reported erasing data of unknown legal hold {HoldId} (rule {RetentionRule}); nothing to record")]
    private static partial void LogUnknownHold(ILogger logger, string register, Guid holdId, string retentionRule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Legal hold {HoldId} in {Register} erased: {RecordsErased} of {Records} records")]
    private static partial void LogErased(ILogger logger, Guid holdId, string register, int recordsErased, int records);
}
