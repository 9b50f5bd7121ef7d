using MassTransit;
using Microsoft.Extensions.Options;
using Procexon.Messaging.Inbox;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Tells every recipient that received the subject's data of a rectification (GDPR Art 19), through the one notice
/// pipeline (<see cref="RecipientNoticePipeline"/>): each notice carries the corrections. The other rights tell no recipient
/// and are ignored here.
/// </summary>
public sealed partial class NotifyRecipientsOfRectification(
    DisclosureLogContext db,
    IEventOutbox outbox,
    TimeProvider clock,
    IOptions<ErasureNoticeOptions> options,
    PublicAddress schemas,
    ILogger<NotifyRecipientsOfRectification> logger)
    : IdempotentConsumer<SubjectRightScopeResolved, DisclosureLogContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ConsumeContext<SubjectRightScopeResolved> context, CancellationToken cancellationToken)
    {
        var scope = context.Message;
        if (scope.Right != SubjectRights.Rectification)
        {
            return;
        }

        var notified = await RecipientNoticePipeline.NotifyAsync(Db, outbox, scope.RequestId, scope.SubjectIds, Clock.GetUtcNowToMicroseconds(),
            options.Value.ConfirmWithin, schemas,
            draft => new RectificationNotification
            {
                Id = draft.Id,
                RequestId = draft.RequestId,
                Recipient = draft.Recipient.Slug,
                SubjectIds = draft.SubjectIds,
                Fields = [.. scope.Corrections.Select(c => c.Field)],
                SentAt = draft.SentAt,
                ConfirmBy = draft.ConfirmBy,
            },
            // The corrected values travel once, to the recipient; the notice keeps only the fields' names.
            notice => new RectificationNoticeSent(notice.Id, notice.RequestId, notice.Recipient, notice.SubjectIds, scope.Corrections),
            cancellationToken);
        LogNotified(_logger, scope.RequestId, notified);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rectification request {RequestId}: {Recipients} recipients notified")]
    private static partial void LogNotified(ILogger logger, Guid requestId, int recipients);
}
