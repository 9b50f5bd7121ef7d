using MassTransit;
using Microsoft.Extensions.Options;
using Procexon.Messaging.Inbox;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Tells every recipient that received the subject's data of the erasure (GDPR Art 19): one notice per recipient
/// that is told of erasures, then one <see cref="RecipientsNotified"/> listing them — empty when nobody received
/// the data, because RightsRequests waits for it either way.
/// </summary>
public sealed partial class NotifyRecipientsOfErasure(
    DisclosureLogContext db,
    IEventOutbox outbox,
    TimeProvider clock,
    IOptions<ErasureNoticeOptions> options,
    ILogger<NotifyRecipientsOfErasure> logger)
    : IdempotentConsumer<ErasureScopeResolved, DisclosureLogContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ConsumeContext<ErasureScopeResolved> context, CancellationToken cancellationToken)
    {
        var scope = context.Message;
        var subjectIds = scope.SubjectIds.Distinct().ToList();
        var disclosures = await Db.Disclosures.AsNoTracking()
            .Where(d => subjectIds.Contains(d.SubjectId))
            .ToListAsync(cancellationToken);
        var disclosedTo = disclosures.Select(d => d.Recipient).Distinct().ToList();
        // Staff and authorities received data too, but are not told (they are not sent erasures).
        var recipients = await Db.Recipients.AsNoTracking()
            .Where(r => r.ReceivesErasureNotices && disclosedTo.Contains(r.Slug))
            .OrderBy(r => r.Position).ThenBy(r => r.Slug)
            .ToListAsync(cancellationToken);
        // The same request resolved again (a new message, not a redelivery) tells no one twice.
        var alreadyNotified = await Db.ErasureNotifications
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
            var notification = new ErasureNotification
            {
                Id = Guid.CreateVersion7(),
                RequestId = scope.RequestId,
                Recipient = recipient.Slug,
                SubjectIds = [.. received.Select(d => d.SubjectId).Distinct().Order()],
                Categories = [.. received.SelectMany(d => d.Categories).Distinct().Order(StringComparer.Ordinal)],
                SentAt = sentAt,
                ConfirmBy = sentAt + options.Value.ConfirmWithin,
            };
            Db.ErasureNotifications.Add(notification);
            outbox.SendTo(recipient, new ErasureNoticeSent(
                notification.Id,
                notification.RequestId,
                notification.Recipient,
                notification.SubjectIds,
                notification.Categories));
            notified.Add(new NotifiedRecipient(notification.Id, recipient.Slug, name, notification.ConfirmBy));
        }

        outbox.Add(new RecipientsNotified(scope.RequestId, notified));
        LogNotified(_logger, scope.RequestId, notified.Count, disclosures.Count);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Erasure request {RequestId}: {Recipients} recipients notified of {Disclosures} disclosures")]
    private static partial void LogNotified(ILogger logger, Guid requestId, int recipients, int disclosures);
}
