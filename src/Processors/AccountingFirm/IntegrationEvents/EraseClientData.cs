using MassTransit;
using Procexon.Messaging.Database;
using Procexon.Messaging.Inbox;

namespace Procexon.Processors.AccountingFirm.IntegrationEvents;

/// <summary>
/// Erases the firm's copies of the subject's data named by an erasure notice addressed to it, logs the erasure and
/// confirms it to Procexon, in one transaction. A notice already acted on is not acted on again. Notices are taken in
/// batches, one transaction for the batch: under load they arrive together, and a commit per notice was most of what
/// the firm spent (docs/performance.md).
/// </summary>
public sealed partial class EraseClientData(
    AccountingFirmContext db,
    IEventOutbox outbox,
    TimeProvider clock,
    ILogger<EraseClientData> logger)
    : IdempotentBatchConsumer<ErasureNoticeSent, AccountingFirmContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ConsumeContext<ErasureNoticeSent> context, CancellationToken cancellationToken)
    {
        var notice = context.Message;
        // Acted on already: committed, or earlier in this batch (a notice sent again under a new message id).
        if (notice.Recipient != AccountingFirmIdentity.RecipientSlug
            || Db.ErasureLog.Local.Any(e => e.NotificationId == notice.NotificationId)
            || await Db.ErasureLog.AnyAsync(e => e.NotificationId == notice.NotificationId, cancellationToken))
        {
            return;
        }

        // By the subject ids the disclosures carried (re-pointed by merges): the notice names nobody otherwise.
        var subjectIds = notice.SubjectIds.ToList();
        var erased = await Db.ClientRecords.WhereKeyIn(r => r.SubjectId, subjectIds).ExecuteDeleteAsync(cancellationToken);

        var erasedAt = Clock.GetUtcNow();
        Db.ErasureLog.Add(new ErasureLogEntry
        {
            NotificationId = notice.NotificationId,
            RequestId = notice.RequestId,
            RecordsErased = erased,
            ErasedAt = erasedAt,
        });
        // To the firm's own confirmation exchange, which only its broker user may write to.
        outbox.Send(RecipientQueues.ConfirmationsOf(AccountingFirmIdentity.RecipientSlug), new ProcessorConfirmedNotice(
            notice.NotificationId, notice.RequestId, AccountingFirmIdentity.RecipientSlug, RecipientNoticeKinds.Erasure, erasedAt, $"Erased {erased} records"));
        LogErased(_logger, notice.RequestId, notice.NotificationId, erased);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Erasure request {RequestId} (notice {NotificationId}): {Records} client records erased and confirmed")]
    private static partial void LogErased(ILogger logger, Guid requestId, Guid notificationId, int records);
}
