using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.Retention.IntegrationEvents;

/// <summary>
/// Two subjects were one person: the duplicate's legal holds now belong to the subject it was merged into, so
/// <c>GET /api/retention/holds?subject=</c> of the survivor shows them and the erasure orders name a subject that exists.
/// </summary>
public sealed partial class RepointLegalHoldsOfMergedSubject(RetentionContext db, TimeProvider clock, ILogger<RepointLegalHoldsOfMergedSubject> logger)
    : IdempotentConsumer<SubjectsMerged, RetentionContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ConsumeContext<SubjectsMerged> context, CancellationToken cancellationToken)
    {
        var merged = context.Message;
        // A hold the survivor already has for the same request and data (both were in one erasure's scope) would break
        // the one-per-request-and-data key; such a hold keeps the duplicate's id and is counted, never dropped.
        var repointed = await Db.LegalHolds
            .Where(h => h.SubjectId == merged.DuplicateId)
            .Where(h => !Db.LegalHolds.Any(s => s.SubjectId == merged.MergedInto && s.RequestId == h.RequestId
                && s.Register == h.Register && s.RetentionRule == h.RetentionRule && s.Category == h.Category && s.RetainUntil == h.RetainUntil))
            .ExecuteUpdateAsync(h => h.SetProperty(x => x.SubjectId, merged.MergedInto), cancellationToken);
        // Holds placed by people keep the survivor's data now; the Registry moved the records and its copy of the holds.
        await Db.PlacedLegalHolds.Where(h => h.SubjectId == merged.DuplicateId)
            .ExecuteUpdateAsync(h => h.SetProperty(x => x.SubjectId, merged.MergedInto), cancellationToken);
        var left = await Db.LegalHolds.CountAsync(h => h.SubjectId == merged.DuplicateId, cancellationToken);
        LogRepointed(logger, merged.MergeId, repointed);
        if (left > 0)
        {
            LogLeft(logger, merged.MergeId, left);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subject merge {MergeId}: {Holds} legal holds moved to the surviving subject")]
    private static partial void LogRepointed(ILogger logger, Guid mergeId, int holds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subject merge {MergeId}: {Holds} legal holds stay on the merged-away subject; the survivor has the same hold of the same request")]
    private static partial void LogLeft(ILogger logger, Guid mergeId, int holds);
}
