namespace Procexon.DisclosureLog.Model;

/// <summary>
/// One event on its way to a webhook or e-mail recipient: written in the transaction that decided to tell the recipient,
/// sent by <see cref="WebhookDispatcher"/> through the sender of its <see cref="Channel"/> until the recipient answers 2xx
/// (or the mail server accepts the mail) or the give-up period ends, so a restart loses nothing (at-least-once:
/// <see cref="Id"/> is the event's id, for the receiver's deduplication).
/// </summary>
public sealed class WebhookDelivery
{
    /// <summary>The CloudEvent's <c>id</c> and the <c>webhook-id</c> header: the notice's or the disclosure's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The recipient's slug.</summary>
    public required string Recipient { get; init; }

    /// <summary>
    /// <see cref="RecipientChannels.Webhook"/> or <see cref="RecipientChannels.Email"/>: which sender delivers it. A
    /// waiting delivery follows its recipient to the other of the two (<see cref="FollowChannel"/>).
    /// </summary>
    public string Channel { get; set; } = RecipientChannels.Webhook;

    /// <summary>The CloudEvent's <c>type</c> (<see cref="WebhookEventTypes"/>).</summary>
    public required string Type { get; init; }

    /// <summary>
    /// The CloudEvent as JSON, exactly as signed and sent; encrypted at rest (it may carry identifiers), and emptied once
    /// delivered or given up, so the log keeps no copy of what a recipient was sent.
    /// </summary>
    public required string Body { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the dispatcher may next try; also its lease while an attempt is under way.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>Set when the give-up period ended undelivered: nothing is sent any more, and the notice is overdue.</summary>
    public DateTimeOffset? GaveUpAt { get; set; }

    /// <summary>W3C traceparent of the activity that wrote the delivery, so every send joins the request's trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>
    /// Written by earlier versions only: the SHA-256 of a random link token kept once the server accepted the mail. Links
    /// are derived now (<see cref="EmailLinkTokens"/>); those mailed before still verify against it until they expire.
    /// </summary>
    public byte[]? ConfirmationTokenHash { get; init; }

    public List<WebhookDeliveryAttempt> AttemptLog { get; } = [];

    /// <summary>Neither delivered nor given up: the dispatcher still tries it.</summary>
    public bool IsWaiting => DeliveredAt is null && GaveUpAt is null;

    /// <summary>
    /// After the recipient's channel changed: a waiting delivery the new channel carries moves to it, to be tried there at
    /// once (webhook and e-mail carry the same CloudEvent; a mail is written from it). One it does not carry (a
    /// disclosure or a merge is never mailed; an amqp or staff recipient has no sender here) ends now, so it neither
    /// blocks the recipient's line nor goes where the recipient no longer is; a notice among them stays unconfirmed, for
    /// staff to confirm by hand or to become overdue. Returns whether the delivery changed.
    /// </summary>
    public bool FollowChannel(string channel, DateTimeOffset now)
    {
        if (!IsWaiting || channel == Channel)
        {
            return false;
        }

        if (channel == RecipientChannels.Webhook
            || (channel == RecipientChannels.Email && Type is not (WebhookEventTypes.Disclosure or WebhookEventTypes.SubjectsMerged)))
        {
            Channel = channel;
            NextAttemptAt = now;
        }
        else
        {
            End(now);
        }

        return true;
    }

    /// <summary>
    /// Ends a waiting delivery whose notice was superseded before it reached the recipient (a restriction lifted while its
    /// notice was still undelivered): it no longer holds the recipient's line, and the notice is not escalated as a
    /// given-up one is. Returns whether the delivery changed.
    /// </summary>
    public bool Withdraw(DateTimeOffset now)
    {
        if (!IsWaiting)
        {
            return false;
        }

        End(now);
        return true;
    }

    /// <summary>Ends the delivery undelivered, its body no longer needed.</summary>
    private void End(DateTimeOffset now)
    {
        GaveUpAt = now;
        Body = "";
    }
}

/// <summary>One try at a <see cref="WebhookDelivery"/>: when, how long, and what the recipient answered (no body is kept).</summary>
public sealed class WebhookDeliveryAttempt
{
    public const int MaxErrorLength = 500;

    public required Guid Id { get; init; }

    public required Guid DeliveryId { get; init; }

    public required int Number { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required int DurationMs { get; init; }

    /// <summary>The HTTP status the recipient answered, or null when no answer came (refused, timed out, circuit open).</summary>
    public int? StatusCode { get; init; }

    /// <summary>What went wrong, in the sender's words; never the body.</summary>
    public string? Error { get; init; }

    public required bool Succeeded { get; init; }
}

/// <summary>The CloudEvents <c>type</c> of each event a webhook recipient receives; each has a JSON Schema (<c>GET /api/webhooks/schemas/{type}</c>).</summary>
public static class WebhookEventTypes
{
    public const string Disclosure = "fi.procexon.disclosure.v1";
    public const string ErasureNotice = "fi.procexon.notice.erasure.v1";
    public const string RectificationNotice = "fi.procexon.notice.rectification.v1";
    public const string SubjectsMerged = "fi.procexon.subjects.merged.v1";
    public const string RestrictionNotice = "fi.procexon.notice.restriction.v1";
    public const string RestrictionLiftedNotice = "fi.procexon.notice.restriction-lifted.v1";

    public static IReadOnlyList<string> All { get; } = [Disclosure, ErasureNotice, RectificationNotice, SubjectsMerged, RestrictionNotice, RestrictionLiftedNotice];
}
