using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Procexon.Messaging.Outbox;

public sealed class OutboxOptions
{
    /// <summary>
    /// How long a row must have been in the table, unpublished and held by no publisher of this process, before the sweep
    /// publishes it (a crashed replica's, or one whose commit's answer was lost); also how often the sweep looks.
    /// </summary>
    public TimeSpan FallbackInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one publish may wait for the broker's confirm before it counts as failed.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// How many batches of committed rows are published from memory at once. A batch waits for the broker's confirms; with
    /// one at a time, a service writing many events fell behind while the machine still had CPU to spare.
    /// </summary>
    public int Dispatchers { get; set; } = 4;

    /// <summary>How long published rows gather before one statement deletes them all.</summary>
    public TimeSpan DeleteDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Publishes committed outbox rows. The rows a transaction wrote are handed over by <see cref="OutboxCommitInterceptor"/>
/// once it has committed, published from memory with the row's id as the message id, and deleted after the broker's
/// confirm, many at a time (<see cref="OutboxOptions.DeleteDelay"/>): no transaction of the dispatcher's own per commit.
/// What is not published that way (a publish not confirmed, a commit whose answer was lost, a process that died between
/// its commit and the delete, another replica's) the sweep finds in the table: rows of this process that a publisher
/// gave up at once, any other row once it has been seen there for <see cref="OutboxOptions.FallbackInterval"/>. The sweep
/// claims and deletes them in one statement per batch (<c>FOR UPDATE SKIP LOCKED</c>, so replicas share the work) and
/// writes back, with their attempt and error, the rows the broker did not confirm before its commit. A row published
/// twice (the process died after the confirm, or a replica's publish outlasted the interval) has the same message id,
/// and the consumers' inboxes drop the copy; a row that did not commit is never handed over, and never in the table.
/// </summary>
public sealed partial class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    IBusControl bus,
    BrokerConnectionRenewal renewal,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService where TContext : DbContext
{
    /// <summary>The most rows one look of the sweep remembers, to publish at its next look if they are still there.</summary>
    private const int SweepSnapshotLimit = 10_000;

    /// <summary>The most published rows one statement deletes.</summary>
    private const int DeleteLimit = 10_000;

    private readonly ConcurrentQueue<Guid> _published = new();

    private readonly Channel<bool> _deleteDue = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>The rows the sweep saw in the table at its last look, and when.</summary>
    private (long At, List<Guid> Ids)? _seen;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        return Task.WhenAll(Enumerable.Range(0, Math.Max(1, settings.Dispatchers))
            .Select(_ => PublishCommittedAsync(settings, stoppingToken))
            .Append(DeletePublishedAsync(settings, stoppingToken))
            .Append(SweepAsync(settings, stoppingToken)));
    }

    private async Task PublishCommittedAsync(OutboxOptions settings, CancellationToken stoppingToken)
    {
        var committed = signal.CommittedRows;
        var batch = new List<OutboxMessage>(settings.BatchSize);
        try
        {
            while (await committed.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < settings.BatchSize && committed.TryRead(out var rows))
                {
                    batch.AddRange(rows);
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                var started = Stopwatch.GetTimestamp();
                // Publishes overlap, so the broker's confirms for a batch come back in one round trip rather than one each.
                var results = await Task.WhenAll(batch.Select(message => TryPublishAsync(message, settings, stoppingToken)));
                List<Guid>? unconfirmed = null;
                for (var i = 0; i < batch.Count; i++)
                {
                    if (results[i])
                    {
                        _published.Enqueue(batch[i].Id);
                    }
                    else
                    {
                        (unconfirmed ??= []).Add(batch[i].Id);
                    }
                }

                OutboxMetrics.Published.Add(batch.Count - (unconfirmed?.Count ?? 0), OutboxMetrics.FromMemory);
                OutboxMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                _deleteDue.Writer.TryWrite(true);
                if (unconfirmed is not null)
                {
                    // Still in the table: the sweep retries them with its backoff, its attempts noted on the rows.
                    signal.Release(unconfirmed);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // What was not confirmed stays in the table for the sweep of the next start.
        }
    }

    private async Task DeletePublishedAsync(OutboxOptions settings, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _deleteDue.Reader.ReadAsync(stoppingToken);
                // Published rows gather for a moment, so one statement deletes the rows of many commits.
                await Task.Delay(settings.DeleteDelay, stoppingToken);
                await DeleteAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                LogDeleteFailed(logger, ex, failures);
                _deleteDue.Writer.TryWrite(true);
                try
                {
                    await Task.Delay(Backoff(settings, failures), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        // The rows published last: deleted now if the database answers soon, or published once more by the next start's
        // sweep, which the inboxes drop.
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await DeleteAsync(last.Token);
        }
        catch (Exception ex)
        {
            LogDeleteFailed(logger, ex, failures + 1);
        }
    }

    private async Task DeleteAsync(CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        while (ids.Count < DeleteLimit && _published.TryDequeue(out var id))
        {
            ids.Add(id);
        }

        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var array = ids.ToArray();
            await db.Database.ExecuteSqlAsync($"DELETE FROM outbox_messages WHERE id = ANY({array})", cancellationToken);
        }
        catch
        {
            foreach (var id in ids)
            {
                _published.Enqueue(id);
            }

            throw;
        }

        foreach (var id in ids)
        {
            signal.Held.TryRemove(id, out _);
        }

        if (!_published.IsEmpty)
        {
            _deleteDue.Writer.TryWrite(true);
        }
    }

    private async Task SweepAsync(OutboxOptions settings, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepOnceAsync(settings, stoppingToken);
                failures = 0;
                await signal.WaitAsync(UntilSeenRowsAreDue(settings), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = Backoff(settings, failures);
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

    private static TimeSpan Backoff(OutboxOptions settings, int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(settings.MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures, 10))));

    private TimeSpan UntilSeenRowsAreDue(OutboxOptions settings)
    {
        if (_seen is not { } seen)
        {
            return settings.FallbackInterval;
        }

        var left = settings.FallbackInterval - Stopwatch.GetElapsedTime(seen.At);
        return left > TimeSpan.FromMilliseconds(10) ? left : TimeSpan.FromMilliseconds(10);
    }

    /// <summary>
    /// Publishes the rows due (given up by a publisher of this process, or seen in the table at a look at least
    /// <see cref="OutboxOptions.FallbackInterval"/> ago and held by no publisher here), then notes what the table holds now.
    /// </summary>
    private async Task SweepOnceAsync(OutboxOptions settings, CancellationToken stoppingToken)
    {
        var due = signal.TakeDue();
        if (_seen is { } seen && Stopwatch.GetElapsedTime(seen.At) >= settings.FallbackInterval)
        {
            due.AddRange(seen.Ids);
            _seen = null;
        }

        var batches = due.Distinct().Where(id => !signal.Held.ContainsKey(id)).Chunk(settings.BatchSize).ToList();
        for (var i = 0; i < batches.Count; i++)
        {
            try
            {
                await PublishBatchAsync(batches[i], settings, stoppingToken);
            }
            catch
            {
                // Tried again after the backoff, with the rest of this look's rows.
                signal.Due(batches.Skip(i + 1).SelectMany(b => b), wake: false);
                throw;
            }
        }

        if (_seen is null)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var waiting = await db.Database
                .SqlQuery<Guid>($"SELECT id AS \"Value\" FROM outbox_messages ORDER BY occurred_at, id LIMIT {SweepSnapshotLimit}")
                .ToListAsync(stoppingToken);
            waiting.RemoveAll(signal.Held.ContainsKey);
            _seen = (Stopwatch.GetTimestamp(), waiting);
        }
    }

    private async Task PublishBatchAsync(Guid[] ids, OutboxOptions settings, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            var started = Stopwatch.GetTimestamp();
            await using var transaction = await db.Database.BeginAllOrNothingTransactionAsync(ct);
            // Claimed and deleted in one statement: the rows stay locked, and are gone only once this transaction commits.
            // A row another replica's sweep holds is skipped; if it is still there, a later look finds it.
            var batch = await db.Set<OutboxMessage>()
                .FromSql($"""
                    DELETE FROM outbox_messages WHERE id IN (
                        SELECT id FROM outbox_messages WHERE id = ANY({ids}) ORDER BY occurred_at, id FOR UPDATE SKIP LOCKED)
                    RETURNING *
                    """)
                .AsNoTracking()
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return new BatchResult([], 0);
            }

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
            OutboxMetrics.Published.Add(batch.Count - unconfirmed.Count, OutboxMetrics.BySweep);
            OutboxMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new BatchResult(unconfirmed, batch.Count);
        }, stoppingToken);

        if (result.Unconfirmed.Count > 0)
        {
            signal.Due(result.Unconfirmed.Select(m => m.Id), wake: false);
            throw new OutboxPublishException(result.Unconfirmed.Count, result.Size);
        }

        if (result.Size > 0)
        {
            renewal.Confirmed();
        }
    }

    private sealed record BatchResult(IReadOnlyList<OutboxMessage> Unconfirmed, int Size);

    private async Task<bool> TryPublishAsync(OutboxMessage message, OutboxOptions settings, CancellationToken stoppingToken)
    {
        // Nothing here throws but a stop: a publisher that died on a row would leave the rows it holds unpublished.
        Activity? activity = null;
        try
        {
            activity = StartPublishActivity(message);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(settings.PublishTimeout);
            var type = OutboxMessageTypes.Resolve(message.MessageType);
            var json = message.Payload ?? message.SealedPayload
                ?? throw new InvalidOperationException($"Outbox message {message.Id} has no payload.");
            var payload = JsonSerializer.Deserialize(json, type, OutboxMessageTypes.Json)
                ?? throw new InvalidOperationException($"Outbox message {message.Id} has an empty payload.");
            if (message.Destination is null)
            {
                // WaitAsync as well as the token: a publish caught by a dying connection must not hang a publisher, whose
                // rows wait for it, or the sweep, which holds its batch's rows locked until it commits (suspected when
                // requests stalled in a broker-kill test).
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
        finally
        {
            activity?.Dispose();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting published outbox rows failed ({Failures} in a row); they are held and deleted later")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox publish failed ({Failures} in a row); retrying in {DelayMs} ms")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int failures, double delayMs);
}

public sealed class OutboxPublishException(int failed, int total)
    : Exception($"{failed} of {total} outbox messages were not confirmed by the broker; they stay in the outbox.");
