using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// A processor confirmed that it erased the subject's data: the notice is confirmed and RightsRequests is told. A
/// notice confirmed already (by staff, or an earlier message) stays as it was and is not announced twice.
/// </summary>
public sealed class RecordProcessorConfirmation(
    DisclosureLogContext db, IEventOutbox outbox, TimeProvider clock, ILogger<RecordProcessorConfirmation> logger)
    : IdempotentConsumer<ProcessorConfirmedErasure, DisclosureLogContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override (string Table, Guid Id)? RowToLock(ConsumeContext<ProcessorConfirmedErasure> context) =>
        RecipientNoticePipeline.NoticeToLock<ErasureNotification>(Db, context.Message.NotificationId);

    protected override async Task HandleAsync(ConsumeContext<ProcessorConfirmedErasure> context, CancellationToken cancellationToken)
    {
        var confirmation = context.Message;
        var outcome = await RecipientNoticePipeline.ConfirmAsync(Db, outbox, context, confirmation.NotificationId, confirmation.RequestId,
            confirmation.Recipient, confirmation.ConfirmedAt, confirmation.Detail,
            (ErasureNotification notice) => RecipientNoticeAnnouncements.ConfirmationOf(notice),
            cancellationToken);
        RecipientConfirmationLog.Outcome(_logger, outcome, RecipientNoticeKinds.Erasure, confirmation.NotificationId, confirmation.RequestId, confirmation.Recipient);
    }
}

/// <summary>A processor confirmed that it corrected the subject's data: the notice is confirmed and RightsRequests is told, once.</summary>
public sealed class RecordRectificationConfirmation(
    DisclosureLogContext db, IEventOutbox outbox, TimeProvider clock, ILogger<RecordRectificationConfirmation> logger)
    : IdempotentConsumer<ProcessorConfirmedRectification, DisclosureLogContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override (string Table, Guid Id)? RowToLock(ConsumeContext<ProcessorConfirmedRectification> context) =>
        RecipientNoticePipeline.NoticeToLock<RectificationNotification>(Db, context.Message.NotificationId);

    protected override async Task HandleAsync(ConsumeContext<ProcessorConfirmedRectification> context, CancellationToken cancellationToken)
    {
        var confirmation = context.Message;
        var outcome = await RecipientNoticePipeline.ConfirmAsync(Db, outbox, context, confirmation.NotificationId, confirmation.RequestId,
            confirmation.Recipient, confirmation.ConfirmedAt, confirmation.Detail,
            (RectificationNotification notice) => RecipientNoticeAnnouncements.ConfirmationOf(notice),
            cancellationToken);
        RecipientConfirmationLog.Outcome(_logger, outcome, RecipientNoticeKinds.Rectification, confirmation.NotificationId, confirmation.RequestId, confirmation.Recipient);
    }
}

/// <summary>
/// A processor confirmed a notice of any kind (<see cref="ProcessorConfirmedNotice"/>, the one confirmation message):
/// the notice of that kind is confirmed and announced once, as a confirmation by any other way would announce it.
/// Confirmations are taken in batches, one transaction for the batch, with every notice they name locked in the claim
/// (the notices of each kind in their own table).
/// </summary>
public sealed class RecordNoticeConfirmation(
    DisclosureLogContext db, IEventOutbox outbox, TimeProvider clock, ILogger<RecordNoticeConfirmation> logger)
    : IdempotentBatchConsumer<ProcessorConfirmedNotice, DisclosureLogContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    // The claim groups the rows by table and orders them.
    protected override IReadOnlyList<LockedRows> RowsToLock(IReadOnlyList<ConsumeContext<ProcessorConfirmedNotice>> batch) =>
        [.. batch.Select(c => NoticeToLock(c.Message)).OfType<(string Table, Guid Id)>().Select(n => new LockedRows(n.Table, [n.Id]))];

    private (string Table, Guid Id)? NoticeToLock(ProcessorConfirmedNotice c) => c.Notice switch
    {
        RecipientNoticeKinds.Erasure => RecipientNoticePipeline.NoticeToLock<ErasureNotification>(Db, c.NotificationId),
        RecipientNoticeKinds.Rectification => RecipientNoticePipeline.NoticeToLock<RectificationNotification>(Db, c.NotificationId),
        RecipientNoticeKinds.Restriction or RecipientNoticeKinds.RestrictionLifted =>
            RecipientNoticePipeline.NoticeToLock<RestrictionNotification>(Db, c.NotificationId),
        _ => null,
    };

    protected override async Task HandleAsync(ConsumeContext<ProcessorConfirmedNotice> context, CancellationToken cancellationToken)
    {
        var c = context.Message;
        var outcome = c.Notice switch
        {
            RecipientNoticeKinds.Erasure => await ConfirmAsync<ErasureNotification>(context, c, cancellationToken),
            RecipientNoticeKinds.Rectification => await ConfirmAsync<RectificationNotification>(context, c, cancellationToken),
            RecipientNoticeKinds.Restriction or RecipientNoticeKinds.RestrictionLifted => await ConfirmAsync<RestrictionNotification>(context, c, cancellationToken),
            // A kind this version does not know names no notice it sent.
            _ => ConfirmationOutcome.Unmatched,
        };
        RecipientConfirmationLog.Outcome(_logger, outcome, c.Notice, c.NotificationId, c.RequestId, c.Recipient);
    }

    private Task<ConfirmationOutcome> ConfirmAsync<TNotice>(ConsumeContext context, ProcessorConfirmedNotice c, CancellationToken cancellationToken)
        where TNotice : RecipientNotice =>
        RecipientNoticePipeline.ConfirmAsync(Db, outbox, context, c.NotificationId, c.RequestId, c.Recipient, c.ConfirmedAt, c.Detail,
            (TNotice notice) => RecipientNoticeAnnouncements.ConfirmationOf(notice), cancellationToken);
}

/// <summary>The event that announces a confirmed notice to RightsRequests, whichever way it was confirmed.</summary>
public static class RecipientNoticeAnnouncements
{
    public static object ConfirmationOf(RecipientNotice notice) => notice switch
    {
        ErasureNotification n => new RecipientConfirmedErasure(n.RequestId, n.Recipient, n.ConfirmedAt!.Value),
        RectificationNotification n => new RecipientConfirmedRectification(n.RequestId, n.Recipient, n.ConfirmedAt!.Value),
        RestrictionNotification n => new RecipientConfirmedNotice(n.RequestId, n.Recipient, n.Kind, n.ConfirmedAt!.Value),
        _ => throw new InvalidOperationException($"{notice.GetType().Name} has no confirmation event."),
    };
}

internal static partial class RecipientConfirmationLog
{
    public static void Outcome(ILogger logger, ConfirmationOutcome outcome, string kind, Guid notificationId, Guid requestId, string recipient)
    {
        switch (outcome)
        {
            case ConfirmationOutcome.Confirmed:
                LogConfirmed(logger, kind, requestId, recipient);
                break;
            case ConfirmationOutcome.AlreadyConfirmed:
                LogAlreadyConfirmed(logger, kind, notificationId, recipient);
                break;
            case ConfirmationOutcome.Unmatched:
                LogUnmatched(logger, kind, recipient, notificationId);
                break;
            case ConfirmationOutcome.NotFromRecipient:
                LogNotFromRecipient(logger, kind, recipient, notificationId);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: {Recipient} confirmed the {Kind}")]
    private static partial void LogConfirmed(ILogger logger, string kind, Guid requestId, string recipient);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Kind} notification {NotificationId} to {Recipient} was confirmed already")]
    private static partial void LogAlreadyConfirmed(ILogger logger, string kind, Guid notificationId, string recipient);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A {Kind} confirmation from {Recipient} names notification {NotificationId}, which was not sent to it; ignored")]
    private static partial void LogUnmatched(ILogger logger, string kind, string recipient, Guid notificationId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A {Kind} confirmation naming {Recipient} for notification {NotificationId} did not come through that recipient's own exchange; ignored")]
    private static partial void LogNotFromRecipient(ILogger logger, string kind, string recipient, Guid notificationId);
}
