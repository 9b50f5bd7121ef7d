using System.Linq.Expressions;
using MassTransit;
using Microsoft.Extensions.Options;
using Procexon.Messaging.Inbox;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Tells every recipient that received the subject's data of a rectification or a restriction (GDPR Art 19), through the
/// one notice pipeline (<see cref="RecipientNoticePipeline"/>): a rectification notice carries the corrections, a
/// restriction notice the categories the recipient received (what it must keep but not otherwise process). An upheld
/// objection (Art 21(1)) restricts the processing under legitimate interest, so it is told as a restriction, of the same
/// kind, to the recipients that received data on that basis. The other rights tell no recipient and are ignored here.
/// </summary>
public sealed partial class NotifyRecipientsOfRightScope(
    DisclosureLogContext db,
    IEventOutbox outbox,
    TimeProvider clock,
    IOptions<ErasureNoticeOptions> options,
    PublicAddress schemas,
    ILogger<NotifyRecipientsOfRightScope> logger)
    : IdempotentConsumer<SubjectRightScopeResolved, DisclosureLogContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ConsumeContext<SubjectRightScopeResolved> context, CancellationToken cancellationToken)
    {
        var scope = context.Message;
        var now = Clock.GetUtcNowToMicroseconds();
        var notified = scope.Right switch
        {
            SubjectRights.Rectification => await RecipientNoticePipeline.NotifyAsync(Db, outbox, scope.RequestId, scope.SubjectIds, now,
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
                cancellationToken, kind: RecipientNoticeKinds.Rectification),
            SubjectRights.Restriction => await RestrictionNotices.NotifyAsync(Db, outbox, RecipientNoticeKinds.Restriction, scope.RequestId,
                scope.SubjectIds, restricted: null, now, options.Value.ConfirmWithin, schemas, cancellationToken),
            // One kind for both: the recipient's duty is the same (keep, do not otherwise process, wait for the lifting), and
            // why the processing stops (the subject objected) is the subject's business, not the recipient's.
            SubjectRights.ObjectionUpheld => await RestrictionNotices.NotifyAsync(Db, outbox, RecipientNoticeKinds.Restriction, scope.RequestId,
                scope.SubjectIds, restricted: null, now, options.Value.ConfirmWithin, schemas, cancellationToken,
                concerning: d => d.LegalBasis == LegalBases.LegitimateInterest),
            _ => (int?)null,
        };
        if (notified is { } count)
        {
            LogNotified(_logger, scope.Right, scope.RequestId, count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Right} request {RequestId}: {Recipients} recipients notified")]
    private static partial void LogNotified(ILogger logger, string right, Guid requestId, int recipients);
}

/// <summary>
/// The registers released a restriction (a restriction request's or an upheld objection's): the recipients that were
/// told of it are told it is lifted (Art 18(3), 19), of the categories they were told were restricted, through the same
/// pipeline. A lifting of a restriction that told nobody tells nobody, and <see cref="RecipientsNotified"/> says so.
/// </summary>
public sealed partial class NotifyRecipientsOfRestrictionLifting(
    DisclosureLogContext db,
    IEventOutbox outbox,
    TimeProvider clock,
    IOptions<ErasureNoticeOptions> options,
    PublicAddress schemas,
    ILogger<NotifyRecipientsOfRestrictionLifting> logger)
    : IdempotentConsumer<RestrictionLifted, DisclosureLogContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ConsumeContext<RestrictionLifted> context, CancellationToken cancellationToken)
    {
        var lifted = context.Message;
        var outcome = await RestrictionNotices.LiftAsync(Db, outbox, lifted.RequestId, Clock.GetUtcNowToMicroseconds(),
            options.Value.ConfirmWithin, schemas, cancellationToken);
        LogNotified(_logger, lifted.RequestId, outcome.Notified, outcome.Superseded, outcome.Withdrawn);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Restriction request {RequestId} lifted: {Recipients} recipients notified, {Superseded} unconfirmed restriction notices superseded, {Withdrawn} of them never delivered and withdrawn")]
    private static partial void LogNotified(ILogger logger, Guid requestId, int recipients, int superseded, int withdrawn);
}

/// <summary>What a lifting did: recipients told of it, restriction notices it superseded, and of those the ones withdrawn undelivered.</summary>
public readonly record struct RestrictionLiftingOutcome(int Notified, int Superseded, int Withdrawn);

/// <summary>A restriction notice or the notice of its lifting: the one entity, through the one pipeline.</summary>
public static class RestrictionNotices
{
    /// <summary>
    /// Tells the recipients told of the restriction that it is lifted; the restriction notices none of them confirmed are
    /// superseded by the lifting's (no longer overdue), and a superseded one still waiting in a webhook or e-mail
    /// recipient's line, never delivered, is withdrawn: the lifting goes next instead of waiting behind it until the give-up
    /// period ends (docs/processors.md, "A recipient that does not confirm"). All in the caller's transaction, once
    /// however often the lifting arrives.
    /// </summary>
    public static async Task<RestrictionLiftingOutcome> LiftAsync(
        DisclosureLogContext db, IEventOutbox outbox, Guid requestId, DateTimeOffset now, TimeSpan confirmWithin, PublicAddress schemas,
        CancellationToken cancellationToken)
    {
        // Read once, tracked: who is told of the lifting, and which of the notices it supersedes.
        var restricted = await db.RestrictionNotifications
            .Where(n => n.RequestId == requestId && n.Kind == RecipientNoticeKinds.Restriction)
            .ToListAsync(cancellationToken);
        var notified = await NotifyAsync(db, outbox, RecipientNoticeKinds.RestrictionLifted, requestId,
            [.. restricted.SelectMany(n => n.SubjectIds).Distinct()], restricted.ToDictionary(n => n.Recipient, n => n.Categories, StringComparer.Ordinal),
            now, confirmWithin, schemas, cancellationToken);

        // As RightsRequests counts them: a restriction notice unconfirmed at the lifting is superseded by the lifting's
        // (Supersede passes over the confirmed ones and those a redelivered lifting marked already).
        var superseded = restricted.Where(n => n.Supersede(now)).Select(n => n.Id).ToArray();
        if (superseded.Length == 0)
        {
            return new RestrictionLiftingOutcome(notified, 0, 0);
        }

        // Locked, and the condition checked again once a dispatcher sending one of them has finished: one it delivered
        // meanwhile is left alone, and the dispatcher skips the rows locked here.
        var waiting = await db.WebhookDeliveries.FromSql(
            $"""
            SELECT * FROM webhook_deliveries
            WHERE id = ANY({superseded}) AND delivered_at IS NULL AND gave_up_at IS NULL
            FOR UPDATE
            """).ToListAsync(cancellationToken);
        return new RestrictionLiftingOutcome(notified, superseded.Length, waiting.Count(d => d.Withdraw(now)));
    }

    /// <param name="restricted">
    /// For a lifting: the recipients told of the restriction, each with the categories it was told were restricted. Only
    /// they are told, and of those categories: what was restricted is what is released, even when the recipient received
    /// more on other bases (an upheld objection restricts only what went under legitimate interest).
    /// </param>
    /// <param name="concerning">Only the disclosures the restriction concerns (<see cref="RecipientNoticePipeline.NotifyAsync"/>).</param>
    public static Task<int> NotifyAsync(
        DisclosureLogContext db, IEventOutbox outbox, string kind, Guid requestId, IReadOnlyCollection<Guid> subjectIds,
        IReadOnlyDictionary<string, List<string>>? restricted, DateTimeOffset now, TimeSpan confirmWithin, PublicAddress schemas,
        CancellationToken cancellationToken, Expression<Func<Disclosure, bool>>? concerning = null) =>
        RecipientNoticePipeline.NotifyAsync(db, outbox, requestId, subjectIds, now, confirmWithin, schemas,
            draft => new RestrictionNotification
            {
                Id = draft.Id,
                RequestId = draft.RequestId,
                Recipient = draft.Recipient.Slug,
                Kind = kind,
                SubjectIds = draft.SubjectIds,
                Categories = restricted?.GetValueOrDefault(draft.Recipient.Slug)
                    ?? [.. draft.Received.SelectMany(d => d.Categories).Distinct().Order(StringComparer.Ordinal)],
                SentAt = draft.SentAt,
                ConfirmBy = draft.ConfirmBy,
            },
            notice => notice.Kind == RecipientNoticeKinds.Restriction
                ? (object)new RestrictionNoticeSent(notice.Id, notice.RequestId, notice.Recipient, notice.SubjectIds, notice.Categories)
                : new RestrictionLiftedNoticeSent(notice.Id, notice.RequestId, notice.Recipient, notice.SubjectIds, notice.Categories),
            cancellationToken, ofKind: n => n.Kind == kind, onlyTo: restricted?.Keys.ToList(), kind: kind, concerning: concerning);
}
