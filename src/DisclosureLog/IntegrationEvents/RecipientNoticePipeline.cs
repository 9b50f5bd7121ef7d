using System.Linq.Expressions;
using MassTransit;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>What every kind of notice to recipients starts from: its recipient, the subjects and what it received of them.</summary>
public sealed record NoticeDraft(
    Guid Id, Guid RequestId, Recipient Recipient, List<Guid> SubjectIds, IReadOnlyList<Disclosure> Received, DateTimeOffset SentAt, DateTimeOffset ConfirmBy);

/// <summary>
/// The one pipeline every kind of recipient notice goes through (GDPR Art 19), whatever the right: one notice per
/// recipient that received the subjects' data and is told of such changes, sent over the recipient's channel, then one
/// <see cref="RecipientsNotified"/> listing them (empty when nobody received the data: RightsRequests waits for it
/// either way); and, when a recipient confirms, the notice confirmed once and announced once.
/// </summary>
public static class RecipientNoticePipeline
{
    /// <summary>
    /// Notifies the recipients of <paramref name="subjectIds"/> for a request; a request resolved again tells no one twice.
    /// </summary>
    /// <param name="ofKind">For an entity that holds several kinds, the notices of this kind: what "already notified" looks in.</param>
    /// <param name="onlyTo">When given, only these recipients are told (the lifting of a restriction: those told of the restriction).</param>
    /// <param name="kind">The kind (<see cref="RecipientNoticeKinds"/>), as <see cref="RecipientsNotified"/> names it.</param>
    /// <param name="concerning">
    /// When given, only the disclosures the change concerns count (an upheld objection: those made under legitimate
    /// interest); a recipient that received the subjects' data only otherwise is not told.
    /// </param>
    /// <param name="erasureScope">An erasure's scope, passed on in <see cref="RecipientsNotified"/> for RightsRequests.</param>
    public static async Task<int> NotifyAsync<TNotice, TMessage>(
        DisclosureLogContext db,
        IEventOutbox outbox,
        Guid requestId,
        IReadOnlyCollection<Guid> subjectIds,
        DateTimeOffset sentAt,
        TimeSpan confirmWithin,
        PublicAddress schemas,
        Func<NoticeDraft, TNotice> notice,
        Func<TNotice, TMessage> message,
        CancellationToken cancellationToken,
        Expression<Func<TNotice, bool>>? ofKind = null,
        IReadOnlyCollection<string>? onlyTo = null,
        string? kind = null,
        Expression<Func<Disclosure, bool>>? concerning = null,
        ErasureScopeResolved? erasureScope = null)
        where TNotice : RecipientNotice
        where TMessage : class
    {
        var subjects = subjectIds.Distinct().ToList();
        var disclosed = db.Disclosures.AsNoTracking().WhereKeyIn(d => d.SubjectId, subjects);
        var disclosures = await (concerning is null ? disclosed : disclosed.Where(concerning)).ToListAsync(cancellationToken);
        var disclosedTo = disclosures.Select(d => d.Recipient).Where(r => onlyTo is null || onlyTo.Contains(r)).Distinct().ToList();
        // Staff and authorities received data too, but are not told (they are not sent notices).
        var recipients = await db.Recipients.AsNoTracking()
            .Where(r => r.ReceivesErasureNotices && disclosedTo.Contains(r.Slug))
            .OrderBy(r => r.Position).ThenBy(r => r.Slug)
            .ToListAsync(cancellationToken);
        var sent = db.Set<TNotice>().Where(n => n.RequestId == requestId);
        var alreadyNotified = await (ofKind is null ? sent : sent.Where(ofKind)).ToDictionaryAsync(n => n.Recipient, cancellationToken);
        // A batch consumer notifies for several messages before it saves: what an earlier message of the batch sent is
        // not in the table yet, only tracked (Local, as the query's own results are; TryAdd keeps those once).
        foreach (var pending in TrackedNotices(db, requestId, ofKind))
        {
            alreadyNotified.TryAdd(pending.Recipient, pending);
        }

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
            var created = notice(new NoticeDraft(Guid.CreateVersion7(), requestId, recipient,
                [.. received.Select(d => d.SubjectId).Distinct().Order()], received, sentAt, sentAt + confirmWithin));
            db.Add(created);
            outbox.SendTo(db, recipient, message(created), sentAt, schemas);
            notified.Add(new NotifiedRecipient(created.Id, recipient.Slug, name, created.ConfirmBy));
        }

        outbox.Add(new RecipientsNotified(requestId, notified, kind, erasureScope));
        return notified.Count;
    }

    private static IEnumerable<TNotice> TrackedNotices<TNotice>(DisclosureLogContext db, Guid requestId, Expression<Func<TNotice, bool>>? ofKind)
        where TNotice : RecipientNotice
    {
        var tracked = db.Set<TNotice>().Local.Where(n => n.RequestId == requestId).ToList();
        return ofKind is null || tracked.Count == 0 ? tracked : tracked.Where(ofKind.Compile());
    }

    /// <summary>The notice a confirmation names, for the consumer's inbox claim to lock before <see cref="ConfirmAsync"/> reads it.</summary>
    public static (string Table, Guid Id) NoticeToLock<TNotice>(DisclosureLogContext db, Guid notificationId)
        where TNotice : RecipientNotice =>
        (db.Model.FindEntityType(typeof(TNotice))!.GetTableName()!, notificationId);

    /// <summary>
    /// A processor's confirmation of its notice: recorded once and announced once. False, and nothing changes, when it did
    /// not come through the recipient's own exchange, names a notice not sent to that recipient, or finds it confirmed.
    /// The consumer's inbox claim must have locked the notice (<see cref="NoticeToLock"/>).
    /// </summary>
    public static async Task<ConfirmationOutcome> ConfirmAsync<TNotice, TAnnouncement>(
        DisclosureLogContext db,
        IEventOutbox outbox,
        ConsumeContext context,
        Guid notificationId,
        Guid requestId,
        string recipient,
        DateTimeOffset confirmedAt,
        string? detail,
        Func<TNotice, TAnnouncement> announce,
        CancellationToken cancellationToken)
        where TNotice : RecipientNotice
        where TAnnouncement : class
    {
        if (!ProcessorConfirmations.CameFrom(context, recipient))
        {
            // Another processor, or anyone else, speaking for this recipient: the broker did not vouch for it.
            return ConfirmationOutcome.NotFromRecipient;
        }

        // The notice is locked already (NoticeToLock, in the consumer's inbox claim): a processor retrying with a new
        // message id waits for the first confirmation and then sees it.
        var notice = await db.Set<TNotice>().SingleOrDefaultAsync(n => n.Id == notificationId, cancellationToken);
        // Retrying cannot make an unknown notice appear, nor make one recipient's word count for another.
        if (notice is null || notice.RequestId != requestId || notice.Recipient != recipient)
        {
            return ConfirmationOutcome.Unmatched;
        }

        if (!notice.Confirm(confirmedAt, recipient, detail))
        {
            return ConfirmationOutcome.AlreadyConfirmed;
        }

        outbox.Add(announce(notice));
        return ConfirmationOutcome.Confirmed;
    }
}

public enum ConfirmationOutcome
{
    Confirmed,
    AlreadyConfirmed,
    Unmatched,
    NotFromRecipient,
}
