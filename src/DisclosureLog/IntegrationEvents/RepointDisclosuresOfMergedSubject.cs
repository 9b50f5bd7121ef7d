using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Two subjects were one person: what was disclosed of the duplicate was disclosed of the survivor. Its disclosures,
/// and the erasure, rectification and restriction notices naming it, now name the subject it was merged into, so a later erasure
/// or rectification of the survivor reaches every recipient that got either's data. Each recipient reached over AMQP
/// or webhook that got either's data is told too, on its own channel: its processor never reads the platform's internal events.
/// </summary>
public sealed partial class RepointDisclosuresOfMergedSubject(
    DisclosureLogContext db, IEventOutbox outbox, PublicAddress schemas, TimeProvider clock, ILogger<RepointDisclosuresOfMergedSubject> logger)
    : IdempotentConsumer<SubjectsMerged, DisclosureLogContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ConsumeContext<SubjectsMerged> context, CancellationToken cancellationToken)
    {
        var (mergeId, duplicate, into) = (context.Message.MergeId, context.Message.DuplicateId, context.Message.MergedInto);
        var holders = await Db.Disclosures.Where(d => d.SubjectId == duplicate || d.SubjectId == into).Select(d => d.Recipient).Distinct().ToListAsync(cancellationToken);
        var told = await Db.Recipients.AsNoTracking()
            .Where(r => holders.Contains(r.Slug) && (r.Channel == RecipientChannels.Amqp || r.Channel == RecipientChannels.Webhook))
            .ToListAsync(cancellationToken);
        foreach (var recipient in told)
        {
            outbox.SendTo(Db, recipient, context.Message, Clock.GetUtcNowToMicroseconds(), schemas);
        }

        var disclosures = await Db.Disclosures.Where(d => d.SubjectId == duplicate)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.SubjectId, into), cancellationToken);
        // A notice may already name both (one request's scope held both): the survivor is then named once.
        var erasureNotices = await Db.Database.ExecuteSqlAsync(
            $"""
            UPDATE erasure_notifications
            SET subject_ids = CASE WHEN {into} = ANY(subject_ids) THEN array_remove(subject_ids, {duplicate}) ELSE array_replace(subject_ids, {duplicate}, {into}) END
            WHERE {duplicate} = ANY(subject_ids)
            """,
            cancellationToken);
        var rectificationNotices = await Db.Database.ExecuteSqlAsync(
            $"""
            UPDATE rectification_notifications
            SET subject_ids = CASE WHEN {into} = ANY(subject_ids) THEN array_remove(subject_ids, {duplicate}) ELSE array_replace(subject_ids, {duplicate}, {into}) END
            WHERE {duplicate} = ANY(subject_ids)
            """,
            cancellationToken);
        // A restriction's notices name whom its lifting will tell of which subjects: the survivor, from now on.
        var restrictionNotices = await Db.Database.ExecuteSqlAsync(
            $"""
            UPDATE restriction_notifications
            SET subject_ids = CASE WHEN {into} = ANY(subject_ids) THEN array_remove(subject_ids, {duplicate}) ELSE array_replace(subject_ids, {duplicate}, {into}) END
            WHERE {duplicate} = ANY(subject_ids)
            """,
            cancellationToken);
        LogRepointed(logger, mergeId, disclosures, erasureNotices, rectificationNotices, restrictionNotices);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subject merge {MergeId}: {Disclosures} disclosures, {ErasureNotices} erasure notices, {RectificationNotices} rectification notices and {RestrictionNotices} restriction notices moved to the surviving subject")]
    private static partial void LogRepointed(ILogger logger, Guid mergeId, int disclosures, int erasureNotices, int rectificationNotices, int restrictionNotices);
}
