using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.Processors.AccountingFirm.IntegrationEvents;

/// <summary>
/// Applies a rectification notice addressed to the firm to its copies of the subject's data (the e-mail and phone it
/// holds) and confirms it to Procexon, in one transaction. Setting a value twice changes nothing twice, and the
/// disclosure log announces a confirmation only once.
/// </summary>
public sealed partial class RectifyClientData(
    AccountingFirmContext db,
    IEventOutbox outbox,
    TimeProvider clock,
    ILogger<RectifyClientData> logger)
    : IdempotentConsumer<RectificationNoticeSent, AccountingFirmContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ConsumeContext<RectificationNoticeSent> context, CancellationToken cancellationToken)
    {
        var notice = context.Message;
        if (notice.Recipient != AccountingFirmIdentity.RecipientSlug)
        {
            return;
        }

        var subjectIds = notice.SubjectIds.ToList();
        var records = await Db.ClientRecords.Where(r => subjectIds.Contains(r.SubjectId)).ToListAsync(cancellationToken);
        var email = notice.Corrections.FirstOrDefault(c => c.Field == "email")?.Value;
        var phone = notice.Corrections.FirstOrDefault(c => c.Field == "phone")?.Value;
        var changed = 0;
        foreach (var record in records)
        {
            var touched = false;
            if (email is not null && record.Email is not null && record.Email != email)
            {
                record.Email = email;
                touched = true;
            }

            if (phone is not null && record.Phone is not null && record.Phone != phone)
            {
                record.Phone = phone;
                touched = true;
            }

            changed += touched ? 1 : 0;
        }

        // To the firm's own confirmation exchange, which only its broker user may write to.
        outbox.Send(RecipientQueues.ConfirmationsOf(AccountingFirmIdentity.RecipientSlug), new ProcessorConfirmedNotice(
            notice.NotificationId, notice.RequestId, AccountingFirmIdentity.RecipientSlug, RecipientNoticeKinds.Rectification, Clock.GetUtcNow(),
            $"Corrected {changed} records"));
        LogRectified(_logger, notice.RequestId, notice.NotificationId, changed);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Rectification request {RequestId} (notice {NotificationId}): {Records} client records corrected and confirmed")]
    private static partial void LogRectified(ILogger logger, Guid requestId, Guid notificationId, int records);
}
