using Microsoft.Extensions.Options;
using Procexon.Messaging.Outbox;

namespace Procexon.Retention.Infrastructure;

public sealed class SweepOptions
{
    /// <summary>How often <see cref="ScheduledSweeps"/> looks for holds whose retention has ended (<c>Retention:SweepInterval</c>).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many holds one transaction releases (<c>Retention:SweepBatchSize</c>).</summary>
    public int SweepBatchSize { get; set; } = 500;
}

/// <summary>
/// Releases the legal holds whose retention period has ended: each becomes <c>released</c> and its register is told
/// with <see cref="RetentionPeriodEnded"/> in the same transaction. Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c>,
/// so replicas sweeping at the same moment share the work and never release a hold twice.
/// </summary>
public sealed partial class RetentionSweep(
    RetentionContext db,
    IEventOutbox outbox,
    TimeProvider clock,
    IOptions<SweepOptions> options,
    ILogger<RetentionSweep> logger)
{
    // The status is a literal, not a parameter, so the planner can use the partial index of scheduled holds.
    private const string DueHolds =
        $"SELECT * FROM legal_holds WHERE status = '{LegalHoldStatuses.Scheduled}' AND retain_until < {{0}} "
        + "ORDER BY retain_until, id LIMIT {1} FOR UPDATE SKIP LOCKED";

    /// <summary>Releases every hold whose last day of retention is before today in Finnish time; returns how many.</summary>
    public async Task<int> ReleaseDueHoldsAsync(CancellationToken cancellationToken)
    {
        var batchSize = options.Value.SweepBatchSize;
        var total = 0;
        int released;
        do
        {
            released = await ReleaseBatchAsync(batchSize, cancellationToken);
            total += released;
        }
        while (released == batchSize && !cancellationToken.IsCancellationRequested);

        if (total > 0)
        {
            LogReleased(logger, total);
        }

        return total;
    }

    private Task<int> ReleaseBatchAsync(int batchSize, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            // The day after the last day of retention is the first on which the data may go.
            var today = FinnishCalendar.DayOf(now);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var due = await db.LegalHolds.FromSqlRaw(DueHolds, today, batchSize).ToListAsync(ct);
            foreach (var hold in due)
            {
                hold.Release(now);
                outbox.Add(new RetentionPeriodEnded(hold.Id, hold.SubjectId, hold.Register, hold.RetentionRule, hold.RetainUntil, hold.Category));
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return due.Count;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} legal holds whose retention period has ended")]
    private static partial void LogReleased(ILogger logger, int count);
}
