using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.Processors.AccountingFirm.IntegrationEvents;

/// <summary>
/// Marks the firm's copies of the subject's data restricted when a restriction notice addressed to it arrives (GDPR Art
/// 18, 19) and confirms it to Procexon, in one transaction. A copy already restricted keeps its first date.
/// </summary>
public sealed class RestrictClientData(AccountingFirmContext db, IEventOutbox outbox, TimeProvider clock, ILogger<RestrictClientData> logger)
    : IdempotentConsumer<RestrictionNoticeSent, AccountingFirmContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override Task HandleAsync(ConsumeContext<RestrictionNoticeSent> context, CancellationToken cancellationToken)
    {
        var n = context.Message;
        return ClientDataRestriction.ApplyAsync(Db, outbox, Clock, _logger, RecipientNoticeKinds.Restriction,
            n.NotificationId, n.RequestId, n.Recipient, n.SubjectIds, restrict: true, cancellationToken);
    }
}

/// <summary>Releases the firm's copies when Procexon tells it the restriction is lifted (Art 18(3), 19), and confirms.</summary>
public sealed class LiftClientDataRestriction(AccountingFirmContext db, IEventOutbox outbox, TimeProvider clock, ILogger<LiftClientDataRestriction> logger)
    : IdempotentConsumer<RestrictionLiftedNoticeSent, AccountingFirmContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override Task HandleAsync(ConsumeContext<RestrictionLiftedNoticeSent> context, CancellationToken cancellationToken)
    {
        var n = context.Message;
        return ClientDataRestriction.ApplyAsync(Db, outbox, Clock, _logger, RecipientNoticeKinds.RestrictionLifted,
            n.NotificationId, n.RequestId, n.Recipient, n.SubjectIds, restrict: false, cancellationToken);
    }
}

/// <summary>What the restriction and its lifting share: mark or release the subject's copies, then confirm with the one confirmation message.</summary>
internal static partial class ClientDataRestriction
{
    public static async Task ApplyAsync(
        AccountingFirmContext db, IEventOutbox outbox, TimeProvider clock, ILogger logger, string kind,
        Guid notificationId, Guid requestId, string recipient, IReadOnlyList<Guid> subjectIds, bool restrict, CancellationToken cancellationToken)
    {
        if (recipient != AccountingFirmIdentity.RecipientSlug)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var subjects = subjectIds.ToList();
        var records = await db.ClientRecords.Where(r => subjects.Contains(r.SubjectId) && (r.RestrictedAt == null) == restrict).ToListAsync(cancellationToken);
        foreach (var record in records)
        {
            record.RestrictedAt = restrict ? now : null;
        }

        // To the firm's own confirmation exchange, which only its broker user may write to.
        outbox.Send(RecipientQueues.ConfirmationsOf(AccountingFirmIdentity.RecipientSlug), new ProcessorConfirmedNotice(
            notificationId, requestId, AccountingFirmIdentity.RecipientSlug, kind, now,
            restrict ? $"Restricted {records.Count} records" : $"Released {records.Count} records"));
        LogApplied(logger, kind, requestId, notificationId, records.Count);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "The {Kind} notice {NotificationId} of request {RequestId}: {Records} client records changed and confirmed")]
    private static partial void LogApplied(ILogger logger, string kind, Guid requestId, Guid notificationId, int records);
}
