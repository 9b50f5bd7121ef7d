using Microsoft.Extensions.Options;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>
/// Removes the copies of the subject's data (<see cref="RegisterDataCopy"/>) of requests completed more than
/// <see cref="AnswerCopyOptions.KeepFor"/> ago: they were kept only for the answer and the export. Copies of open
/// requests stay. Each request records the removal in its audit trail, and its answer and export then answer 410.
/// </summary>
public sealed partial class AnswerCopyPurge(
    IServiceScopeFactory scopes,
    IOptions<RequestLifecycleOptions> options,
    RightsRequestsMetrics metrics,
    TimeProvider clock,
    ILogger<AnswerCopyPurge> logger) : BackgroundService
{
    private const int Batch = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        do
        {
            try
            {
                var purged = await PurgeAsync(stoppingToken);
                if (purged.Copies > 0)
                {
                    LogPurged(logger, purged.Copies, purged.Requests, options.Value.AnswerCopies.KeepFor.TotalDays);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPurgeFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Removes every copy of a request completed before now minus KeepFor; answers how many, of how many requests.</summary>
    public async Task<PurgedAnswerCopies> PurgeAsync(CancellationToken cancellationToken)
    {
        var total = new PurgedAnswerCopies(0, 0);
        PurgedAnswerCopies purged;
        do
        {
            purged = await PurgeBatchAsync(cancellationToken);
            total = new(total.Requests + purged.Requests, total.Copies + purged.Copies);
        }
        while (purged.Requests == Batch);

        return total;
    }

    private async Task<PurgedAnswerCopies> PurgeBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RightsRequestsContext>();
        var keepFor = options.Value.AnswerCopies.KeepFor;
        var strategy = db.Database.CreateExecutionStrategy();
        var purged = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            var cutoff = now - keepFor;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Driven by the copies, which only recent requests still have, not by every request ever completed.
            // Locked like the sweep's, so a request being changed right now waits for the next run.
            var ids = await db.Database.SqlQuery<Guid>($"""
                SELECT r.id AS "Value" FROM rights_requests r
                WHERE r.id IN (SELECT c.request_id FROM register_data_copies c)
                  AND r.status = 'Completed' AND r.completed_at < {cutoff}
                ORDER BY r.completed_at
                LIMIT {Batch}
                FOR UPDATE OF r SKIP LOCKED
                """).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return new PurgedAnswerCopies(0, 0);
            }

            var counts = await db.Set<RegisterDataCopy>()
                .Where(c => ids.Contains(c.RequestId))
                .GroupBy(c => c.RequestId)
                .Select(g => new { RequestId = g.Key, Copies = g.Count() })
                .ToDictionaryAsync(c => c.RequestId, c => c.Copies, ct);
            var deleted = await db.Set<RegisterDataCopy>().Where(c => ids.Contains(c.RequestId)).ExecuteDeleteAsync(ct);
            var requests = await db.Requests.Where(r => ids.Contains(r.Id)).ToListAsync(ct);
            foreach (var request in requests)
            {
                request.AnswerCopiesPurged(counts.GetValueOrDefault(request.Id), keepFor, now);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return new PurgedAnswerCopies(requests.Count, deleted);
        }, cancellationToken);

        if (purged.Copies > 0)
        {
            metrics.AnswerCopiesPurged(purged.Copies);
        }

        return purged;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Copies} answer copies of {Requests} requests completed more than {KeepForDays} days ago")]
    private static partial void LogPurged(ILogger logger, int copies, int requests, double keepForDays);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove answer copies past their retention; the next run tries again")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}

/// <summary>What one run of <see cref="AnswerCopyPurge"/> removed.</summary>
public readonly record struct PurgedAnswerCopies(int Requests, int Copies);
