using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.Processors.AccountingFirm.IntegrationEvents;

/// <summary>
/// Procexon merged two subjects: the firm's copies of the duplicate now carry the survivor's id, so an erasure or
/// rectification of the survivor reaches them. The firm keeps one copy per disclosure, so copies of both subjects stay
/// side by side, each with the identifiers its disclosure carried; nothing is dropped or overwritten.
/// </summary>
public sealed partial class RepointClientRecordsOfMergedSubject(AccountingFirmContext db, TimeProvider clock, ILogger<RepointClientRecordsOfMergedSubject> logger)
    : IdempotentConsumer<SubjectsMerged, AccountingFirmContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ConsumeContext<SubjectsMerged> context, CancellationToken cancellationToken)
    {
        var merged = context.Message;
        var records = await Db.ClientRecords.Where(r => r.SubjectId == merged.DuplicateId)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.SubjectId, merged.MergedInto), cancellationToken);
        LogRepointed(logger, merged.MergeId, records);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subject merge {MergeId}: {Records} client records moved to the surviving subject")]
    private static partial void LogRepointed(ILogger logger, Guid mergeId, int records);
}
