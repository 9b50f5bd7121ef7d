using MassTransit;
using Microsoft.Extensions.Options;
using Procexon.Messaging.Inbox;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Tells every recipient that received the subject's data of a rectification (GDPR Art 19), as for an erasure: one
/// notice per recipient with the corrected fields, then one <see cref="RecipientsNotified"/> — empty when nobody
/// received the data. The other rights tell no recipient and are ignored here.
/// </summary>
public sealed partial class NotifyRecipientsOfRectification(
    DisclosureLogContext db,
    IEventOutbox outbox,
    TimeProvider clock,
    IOptions<ErasureNoticeOptions> options,
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

        var subjectIds = scope.SubjectIds.Distinct().ToList();
        var disclosures = await Db.Disclosures.AsNoTracking().Where(d => subjectIds.Contains(d.SubjectId)).ToListAsync(cancellationToken);
        var disclosedTo = disclosures.Select(d => d.Recipient).Distinct().ToList();
        var recipients = await Db.Recipients.AsNoTracking()
            .Where(r => r.ReceivesErasureNotices && disclosedTo.Contains(r.Slug))
            .OrderBy(r => r.Position).ThenBy(r => r.Slug)
            .ToListAsync(cancellationToken);
        var alreadyNotified = await Db.RectificationNotifications
            .Where(n => n.RequestId == scope.RequestId)
            .ToDictionaryAsync(n => n.Recipient, cancellationToken);

        var sentAt = Clock.GetUtcNowToMicroseconds();
        var notified = new List<NotifiedRecipient>();
        foreach (var recipient in recipients)
        {
            var name = new LocalizedText(recipient.NameFi, recipient.NameEn);
            if (alreadyNotified.TryGetValue(recipient.Slug, out var earlier))
            {
                notified.Add(new NotifiedRecipient(earlier.Id, recipient.Slug, name, earlier.ConfirmBy));
                continue;
            }

            var received = disclosures.Where(d => d.Recipient == recipient.Slug).ToList();
            var notification = new RectificationNotification
            {
                Id = Guid.CreateVersion7(),
                RequestId = scope.RequestId,
                Recipient = recipient.Slug,
                SubjectIds = [.. received.Select(d => d.SubjectId).Distinct().Order()],
                Fields = [.. scope.Corrections.Select(c => c.Field)],
                SentAt = sentAt,
                ConfirmBy = sentAt + options.Value.ConfirmWithin,
            };
            Db.Add(notification);
            outbox.SendTo(recipient, new RectificationNoticeSent(
                notification.Id,
                notification.RequestId,
                notification.Recipient,
                notification.SubjectIds,
                scope.Corrections));
            notified.Add(new NotifiedRecipient(notification.Id, recipient.Slug, name, notification.ConfirmBy));
        }

        outbox.Add(new RecipientsNotified(scope.RequestId, notified));
        LogNotified(_logger, scope.RequestId, notified.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rectification request {RequestId}: {Recipients} recipients notified")]
    private static partial void LogNotified(ILogger logger, Guid requestId, int recipients);
}
