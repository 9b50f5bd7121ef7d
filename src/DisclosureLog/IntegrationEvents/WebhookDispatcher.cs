using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Procexon.Messaging;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Sends what <see cref="RecipientDelivery"/> wrote for webhook and e-mail recipients (each through its channel's
/// <see cref="IRecipientChannelSender"/>: <see cref="WebhookSender"/> or <see cref="EmailNoticeSender"/>), from the database, so nothing is lost to a
/// restart: each round takes the oldest undelivered event of each recipient (in order, so a processor never gets an
/// erasure before the disclosure it erases), locked so that a second replica skips it, posts them side by side, and
/// records one <see cref="WebhookDeliveryAttempt"/> each. A failed one is tried again after an exponential backoff with
/// jitter; one still undelivered after <see cref="WebhookOptions.GiveUpAfter"/> is given up and its notice is overdue.
/// Every send is a span in the trace of the request that caused it.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IEnumerable<IRecipientChannelSender> senders,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly WebhookOptions _options = options.Value;
    private readonly Dictionary<string, IRecipientChannelSender> _senders = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Something was sent: the recipient's next event may be waiting behind it, so look again at once.
                if (await DispatchDueAsync(stoppingToken) > 0)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database away for a moment: the rows stay, the next round tries again.
                LogRoundFailed(logger, ex);
            }

            try
            {
                await Task.Delay(_options.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: the due head of each recipient's line, sent and recorded. Returns how many were delivered.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DisclosureLogContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginAllOrNothingTransactionAsync(ct);
            // The head of each recipient's line, if due; a head another replica is sending is skipped, not waited for.
            var due = await db.WebhookDeliveries.FromSql(
                $"""
                SELECT * FROM webhook_deliveries
                WHERE id IN (SELECT DISTINCT ON (recipient) id FROM webhook_deliveries
                             WHERE delivered_at IS NULL AND gave_up_at IS NULL ORDER BY recipient, created_at, id)
                  AND next_attempt_at <= {now}
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            if (due.Count == 0)
            {
                return 0;
            }

            var slugs = due.Select(d => d.Recipient).ToList();
            var recipients = await db.Recipients.AsNoTracking().Where(r => slugs.Contains(r.Slug)).ToDictionaryAsync(r => r.Slug, ct);
            var results = await Task.WhenAll(due.Select(d => SendAsync(d, recipients[d.Recipient], ct)));
            var delivered = 0;
            for (var i = 0; i < due.Count; i++)
            {
                delivered += await RecordAsync(db, due[i], results[i], ct) ? 1 : 0;
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return delivered;
        }, cancellationToken);
    }

    private async Task<WebhookSendResult> SendAsync(WebhookDelivery delivery, Recipient recipient, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(delivery.TraceParent, null, out var parent);
        using var activity = WebhookMetrics.ActivitySource.StartActivity($"{delivery.Channel} send {delivery.Type}", ActivityKind.Producer, parent);
        activity?.SetTag("procexon.recipient", delivery.Recipient);
        activity?.SetTag("cloudevents.event_id", delivery.Id.ToString());
        activity?.SetTag("cloudevents.event_type", delivery.Type);
        activity?.SetTag("procexon.webhook.attempt", delivery.Attempts + 1);

        var result = _senders.TryGetValue(delivery.Channel, out var sender)
            ? await sender.SendAsync(delivery, recipient, cancellationToken)
            : new WebhookSendResult(false, null, $"No sender delivers the channel '{delivery.Channel}'.", 0, CircuitOpen: false);

        activity?.SetTag("http.response.status_code", result.StatusCode);
        if (!result.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Error);
        }

        return result;
    }

    /// <returns>Whether the delivery is now delivered.</returns>
    private async Task<bool> RecordAsync(DisclosureLogContext db, WebhookDelivery delivery, WebhookSendResult result, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNowToMicroseconds();
        if (result.CircuitOpen)
        {
            // No request was made: no attempt to record, and no point asking again before the circuit may close.
            delivery.NextAttemptAt = now + _options.CircuitBreakDuration;
            metrics.Attempted(delivery.Recipient, "circuit-open");
            return false;
        }

        delivery.Attempts++;
        db.WebhookDeliveryAttempts.Add(new WebhookDeliveryAttempt
        {
            Id = Guid.CreateVersion7(),
            DeliveryId = delivery.Id,
            Number = delivery.Attempts,
            StartedAt = now,
            DurationMs = result.DurationMs,
            StatusCode = result.StatusCode,
            Error = result.Error is { Length: > WebhookDeliveryAttempt.MaxErrorLength } e ? e[..WebhookDeliveryAttempt.MaxErrorLength] : result.Error,
            Succeeded = result.Succeeded,
        });
        if (result.Succeeded)
        {
            delivery.DeliveredAt = now;
            delivery.Body = "";
            metrics.Attempted(delivery.Recipient, "delivered");
            return true;
        }

        metrics.Attempted(delivery.Recipient, "failed");
        if (now - delivery.CreatedAt >= _options.GiveUpAfter)
        {
            delivery.GaveUpAt = now;
            delivery.Body = "";
            metrics.GaveUp(delivery.Recipient);
            await EscalateAsync(db, delivery.Id, now, cancellationToken);
            LogGaveUp(logger, delivery.Type, delivery.Id, delivery.Recipient, delivery.Attempts);
            return false;
        }

        delivery.NextAttemptAt = now + RetryDelay(delivery.Attempts);
        LogAttemptFailed(logger, delivery.Type, delivery.Id, delivery.Recipient, delivery.Attempts, result.Error);
        return false;
    }

    /// <summary>Exponential backoff with jitter: the n-th failure waits about FirstRetryDelay·2ⁿ⁻¹ (±50 %), at most MaxRetryDelay.</summary>
    public TimeSpan RetryDelay(int failures)
    {
        var exponential = _options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = Math.Min(exponential, _options.MaxRetryDelay.TotalMilliseconds);
        // Jitter spreads the retries of many deliveries that failed together, so a recovering recipient is not hit at once.
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble()));
    }

    /// <summary>An undelivered notice cannot be confirmed: it is due now, so it shows in the overdue list and gauges.</summary>
    private static async Task EscalateAsync(DisclosureLogContext db, Guid noticeId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.ErasureNotifications.Where(n => n.Id == noticeId && n.ConfirmedAt == null && n.ConfirmBy > now)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ConfirmBy, now), cancellationToken);
        await db.RectificationNotifications.Where(n => n.Id == noticeId && n.ConfirmedAt == null && n.ConfirmBy > now)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ConfirmBy, now), cancellationToken);
        await db.RestrictionNotifications.Where(n => n.Id == noticeId && n.ConfirmedAt == null && n.ConfirmBy > now)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ConfirmBy, now), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Type} {DeliveryId} to {Recipient}: attempt {Attempt} failed ({Error}); retrying later")]
    private static partial void LogAttemptFailed(ILogger logger, string type, Guid deliveryId, string recipient, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Type} {DeliveryId} to {Recipient} given up after {Attempts} attempts; its notice is overdue")]
    private static partial void LogGaveUp(ILogger logger, string type, Guid deliveryId, string recipient, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook dispatch round failed; the deliveries stay and are tried again")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}

/// <summary>
/// The webhook meters of <c>Procexon.DisclosureLog</c>: <c>procexon.webhook.attempts</c> (by recipient and outcome) and
/// <c>procexon.webhook.given_up</c> (deliveries abandoned, each an overdue notice to escalate).
/// </summary>
public sealed class WebhookMetrics
{
    public static readonly ActivitySource ActivitySource = new("Procexon.DisclosureLog.Webhooks");

    private readonly Counter<long> _attempts;
    private readonly Counter<long> _gaveUp;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(OverdueNotices.MeterName);
        _attempts = meter.CreateCounter<long>("procexon.webhook.attempts", "{attempt}", "Webhook delivery attempts by recipient and outcome (delivered, failed, circuit-open).");
        _gaveUp = meter.CreateCounter<long>("procexon.webhook.given_up", "{delivery}",
            "Webhook deliveries given up undelivered after the give-up period; their notices are overdue.");
    }

    public void Attempted(string recipient, string outcome) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("procexon.recipient", recipient), new KeyValuePair<string, object?>("outcome", outcome));

    public void GaveUp(string recipient) => _gaveUp.Add(1, new KeyValuePair<string, object?>("procexon.recipient", recipient));
}

/// <summary><c>procexon.disclosurelog.mail.sent</c> and <c>.failed</c>: notices mailed to e-mail recipients, counted by the shared mailer.</summary>
public sealed class DisclosureLogMailCounters(IMeterFactory meters)
{
    public Procexon.Messaging.Mail.MailCounters Mail { get; } =
        new(meters.Create(OverdueNotices.MeterName), "procexon.disclosurelog.mail", "e-mail recipients (notices)");
}
