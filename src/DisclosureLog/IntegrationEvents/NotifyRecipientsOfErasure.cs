using MassTransit;
using Microsoft.Extensions.Options;
using Procexon.Messaging.Inbox;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Tells every recipient that received the subject's data of the erasure (GDPR Art 19), through the one notice
/// pipeline (<see cref="RecipientNoticePipeline"/>): each notice names the categories the recipient received. Takes the
/// scopes in batches, one transaction for the batch: the Registry resolves scopes a batch at a time, so they arrive
/// together, and one commit per erasure was DisclosureLog's largest cost at saturation (docs/performance.md). The
/// scope goes on to RightsRequests inside the <see cref="RecipientsNotified"/>, so it records scope and recipients in
/// one transaction instead of two.
/// </summary>
public sealed partial class NotifyRecipientsOfErasure(
    DisclosureLogContext db,
    IEventOutbox outbox,
    TimeProvider clock,
    IOptions<ErasureNoticeOptions> options,
    PublicAddress schemas,
    ILogger<NotifyRecipientsOfErasure> logger)
    : IdempotentBatchConsumer<ErasureScopeResolved, DisclosureLogContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ConsumeContext<ErasureScopeResolved> context, CancellationToken cancellationToken)
    {
        var scope = context.Message;
        var notified = await NotifyAsync(Db, outbox, scope, Clock.GetUtcNowToMicroseconds(), options.Value.ConfirmWithin, schemas, cancellationToken);
        LogNotified(_logger, scope.RequestId, notified);
    }

    /// <summary>
    /// The notices of one request's erasure, added to the unit of work and not saved: what the consumer does for each
    /// scope, and what tests that need a notice do. The scope goes on whole in the <see cref="RecipientsNotified"/>.
    /// </summary>
    public static Task<int> NotifyAsync(
        DisclosureLogContext db, IEventOutbox outbox, ErasureScopeResolved scope, DateTimeOffset sentAt,
        TimeSpan confirmWithin, PublicAddress schemas, CancellationToken cancellationToken) =>
        RecipientNoticePipeline.NotifyAsync(db, outbox, scope.RequestId, scope.SubjectIds, sentAt, confirmWithin, schemas,
            draft => new ErasureNotification
            {
                Id = draft.Id,
                RequestId = draft.RequestId,
                Recipient = draft.Recipient.Slug,
                SubjectIds = draft.SubjectIds,
                Categories = [.. draft.Received.SelectMany(d => d.Categories).Distinct().Order(StringComparer.Ordinal)],
                SentAt = draft.SentAt,
                ConfirmBy = draft.ConfirmBy,
            },
            notice => new ErasureNoticeSent(notice.Id, notice.RequestId, notice.Recipient, notice.SubjectIds, notice.Categories),
            cancellationToken, kind: RecipientNoticeKinds.Erasure, erasureScope: scope);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Erasure request {RequestId}: {Recipients} recipients notified")]
    private static partial void LogNotified(ILogger logger, Guid requestId, int recipients);
}
