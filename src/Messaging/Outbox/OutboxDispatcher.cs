using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Procexon.Messaging.Outbox;

public sealed class OutboxOptions
{
    /// <summary>How often the dispatcher looks without being woken: rows of a crashed replica, or of a failed publish.</summary>
    public TimeSpan FallbackInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one publish may wait for the broker's confirm before the batch is retried.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// How many batches may be in flight at once. A batch waits for the broker's confirms and then for its own commit;
    /// with one at a time, a service writing many events (the registry: 21 per erasure) fell seconds behind while the
    /// machine still had CPU to spare (docs/performance.md). Rows are claimed with SKIP LOCKED, so batches never overlap.
    /// </summary>
    public int Dispatchers { get; set; } = 4;

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Publishes committed outbox rows, a batch at a time: each batch is claimed and deleted by one statement
/// (<c>FOR UPDATE SKIP LOCKED</c>, so replicas of a service share the work without publishing a row twice at once), and
/// the rows the broker did not confirm are written back, with their attempt and error, before the commit. If the process
/// dies before the commit, the rows stay and are published again with the same message ids; the consumers' inboxes
/// drop duplicates.
/// </summary>
public sealed partial class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    IBusControl bus,
    BrokerConnectionRenewal renewal,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService where TContext : DbContext
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        return Task.WhenAll(Enumerable.Range(0, Math.Max(1, settings.Dispatchers)).Select(_ => DispatchAsync(settings, stoppingToken)));
    }

    private async Task DispatchAsync(OutboxOptions settings, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int published;
                do
                {
                    published = await PublishBatchAsync(settings, stoppingToken);
                    if (published == settings.BatchSize)
                    {
                        // More is waiting: wake another dispatcher to claim the next rows while this one goes on.
                        signal.Notify();
                    }
                }
                while (published == settings.BatchSize && !stoppingToken.IsCancellationRequested);

                failures = 0;
                await signal.WaitAsync(settings.FallbackInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(settings.MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures, 10))));
                LogPublishFailed(logger, ex, failures, delay.TotalMilliseconds);
                try
                {
                    if (ex is OutboxPublishException)
                    {
                        // A channel the broker keeps refusing is given up (see BrokerConnectionRenewal).
                        await renewal.NotConfirmedAsync(settings.PublishTimeout, stoppingToken);
                    }

                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<int> PublishBatchAsync(OutboxOptions settings, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            var started = Stopwatch.GetTimestamp();
            await using var transaction = await db.Database.BeginAllOrNothingTransactionAsync(ct);
            // Claimed and deleted in one statement: the rows stay locked, and are gone only once this transaction commits
            // (two round trips a batch when every row is confirmed: this and the commit).
            var batch = await db.Set<OutboxMessage>()
                .FromSql($"""
                    DELETE FROM outbox_messages WHERE id IN (
                        SELECT id FROM outbox_messages ORDER BY occurred_at, id LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED)
                    RETURNING *
                    """)
                .AsNoTracking()
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return new BatchResult([], 0);
            }

            // Publishes overlap, so the broker's confirms for a batch come back in one round trip rather than one each.
            var results = await Task.WhenAll(batch.Select(message => TryPublishAsync(message, settings, ct)));
            var unconfirmed = batch.Where((_, i) => !results[i]).ToList();
            foreach (var message in unconfirmed)
            {
                // Written back in the transaction that deleted it, with the attempt and its error: what the broker did
                // confirm leaves the outbox whatever happens to the rest, so one failing row never holds its batch back.
                message.Attempts++;
                db.Set<OutboxMessage>().Add(message);
            }

            if (unconfirmed.Count > 0)
            {
                await db.SaveChangesAsync(ct);
            }

            await transaction.CommitAsync(ct);
            OutboxMetrics.Published.Add(batch.Count - unconfirmed.Count);
            OutboxMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new BatchResult(unconfirmed, batch.Count);
        }, stoppingToken);

        if (result.Unconfirmed.Count > 0)
        {
            throw new OutboxPublishException(result.Unconfirmed.Count, result.Size);
        }

        if (result.Size > 0)
        {
            renewal.Confirmed();
        }

        return result.Size;
    }

    private sealed record BatchResult(IReadOnlyList<OutboxMessage> Unconfirmed, int Size);

    private async Task<bool> TryPublishAsync(OutboxMessage message, OutboxOptions settings, CancellationToken stoppingToken)
    {
        using var activity = StartPublishActivity(message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(settings.PublishTimeout);
        try
        {
            var type = OutboxMessageTypes.Resolve(message.MessageType);
            var json = message.Payload ?? message.SealedPayload
                ?? throw new InvalidOperationException($"Outbox message {message.Id} has no payload.");
            var payload = JsonSerializer.Deserialize(json, type, OutboxMessageTypes.Json)
                ?? throw new InvalidOperationException($"Outbox message {message.Id} has an empty payload.");
            if (message.Destination is null)
            {
                // WaitAsync as well as the token: a publish caught by a dying connection must not hang the dispatcher,
                // which holds its batch's rows locked until it commits (suspected when requests stalled in a broker-kill test).
                await bus.Publish(payload, type, context => context.MessageId = message.Id, timeout.Token).WaitAsync(timeout.Token);
            }
            else
            {
                // The receive endpoint's exchange, not the queue: declaring the quorum queue again from here would clash.
                var endpoint = await bus.GetSendEndpoint(new Uri($"exchange:{message.Destination}")).WaitAsync(timeout.Token);
                await endpoint.Send(payload, type, context => context.MessageId = message.Id, timeout.Token).WaitAsync(timeout.Token);
            }
            return true;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            message.LastError = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            OutboxMetrics.PublishFailures.Add(1);
            return false;
        }
    }

    private static Activity? StartPublishActivity(OutboxMessage message)
    {
        ActivityContext.TryParse(message.TraceParent, null, out var parent);
        var activity = MessagingDiagnostics.ActivitySource.StartActivity(
            $"outbox publish {message.MessageType.Split(',')[0].Split('.')[^1]}", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", message.Id);
        activity?.SetTag("procexon.outbox.attempts", message.Attempts);
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox publish failed ({Failures} in a row); retrying in {DelayMs} ms")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int failures, double delayMs);
}

public sealed class OutboxPublishException(int failed, int total)
    : Exception($"{failed} of {total} outbox messages were not confirmed by the broker; they stay in the outbox.");
