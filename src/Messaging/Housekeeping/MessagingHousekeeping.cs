using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Procexon.Messaging.Housekeeping;

public sealed class HousekeepingOptions
{
    /// <summary>
    /// How long a handled message's id is kept in <c>inbox_messages</c>. It must outlast every redelivery of that
    /// message: the broker's after a lost acknowledgement and the outbox's after a crash between confirm and delete both
    /// come within minutes; a week leaves room for a broker or a service that was down for days.
    /// </summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often old inbox rows are purged.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the backlog and table sizes behind the meters are read from the database.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Rows deleted per statement, so a purge never holds a long lock or a long transaction.</summary>
    public int PurgeBatchSize { get; set; } = 5_000;
}

/// <summary>
/// Keeps a service's messaging tables from growing for ever and tells operators how they stand: purges inbox rows past
/// <see cref="HousekeepingOptions.InboxRetention"/>, and samples the outbox backlog and every table's size for the meters
/// (<see cref="HousekeepingMetrics"/>). Replicas may all run it: a purge deletes only what is already old.
/// </summary>
public sealed partial class MessagingHousekeeping<TContext>(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<HousekeepingOptions> options,
    ILogger<MessagingHousekeeping<TContext>> logger) : BackgroundService where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var nextPurge = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(stoppingToken);
                if (clock.GetUtcNow() >= nextPurge)
                {
                    await PurgeInboxAsync(stoppingToken);
                    nextPurge = clock.GetUtcNow() + settings.PurgeInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be down or still migrating; the next round tries again.
                LogHousekeepingFailed(logger, ex);
            }

            try
            {
                await Task.Delay(settings.SampleInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Deletes inbox rows older than the retention, a batch per statement; returns how many went.</summary>
    public async Task<int> PurgeInboxAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = clock.GetUtcNow() - settings.InboxRetention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var total = 0;
        int deleted;
        do
        {
            deleted = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM inbox_messages WHERE ctid = ANY (ARRAY(SELECT ctid FROM inbox_messages WHERE processed_at < {cutoff} LIMIT {settings.PurgeBatchSize}))",
                cancellationToken);
            total += deleted;
        }
        while (deleted == settings.PurgeBatchSize && !cancellationToken.IsCancellationRequested);

        if (total > 0)
        {
            HousekeepingMetrics.InboxPurged.Add(total);
            LogInboxPurged(logger, total, cutoff);
        }

        return total;
    }

    /// <summary>Reads the outbox backlog and the size of every table of the service's database for the meters.</summary>
    public async Task<DatabaseSample> SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var database = db.Database.GetDbConnection().Database;
        var backlog = await db.Database
            .SqlQuery<OutboxBacklog>($"SELECT count(*)::int AS waiting, min(occurred_at) AS oldest FROM outbox_messages")
            .SingleAsync(cancellationToken);
        // The statistics' row estimates and the relations' sizes: cheap, unlike count(*) on a large table. Columns in
        // snake_case, as the service's naming convention maps these result types too.
        var tables = await db.Database
            .SqlQuery<TableSize>($"""
                SELECT relname::text AS "table", pg_total_relation_size(relid) AS bytes, n_live_tup AS rows
                FROM pg_stat_user_tables WHERE schemaname = current_schema()
                """)
            .ToListAsync(cancellationToken);
        var sample = new DatabaseSample(
            database,
            backlog.Waiting,
            backlog.Oldest is { } oldest ? clock.GetUtcNow() - oldest : TimeSpan.Zero,
            tables);
        HousekeepingMetrics.Record(sample);
        return sample;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} inbox rows handled before {Cutoff}")]
    private static partial void LogInboxPurged(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Messaging housekeeping failed; it runs again at the next interval")]
    private static partial void LogHousekeepingFailed(ILogger logger, Exception exception);
}

public sealed record OutboxBacklog(int Waiting, DateTimeOffset? Oldest);

public sealed record TableSize(string Table, long Bytes, long Rows);

/// <summary>What one service database looked like at the last sample.</summary>
public sealed record DatabaseSample(string Database, int OutboxWaiting, TimeSpan OldestWaiting, IReadOnlyList<TableSize> Tables);

/// <summary>
/// The meters an operator watches for the messaging tables (DESIGN: observable): the outbox backlog and its age, the
/// inbox rows purged, and each table's size and rows, tagged with the database, from the last sample.
/// </summary>
public static class HousekeepingMetrics
{
    private static readonly Meter s_meter = new(MessagingDiagnostics.Name);
    private static readonly ConcurrentDictionary<string, DatabaseSample> s_samples = new();

    public static readonly Counter<long> InboxPurged = s_meter.CreateCounter<long>(
        "procexon.inbox.purged", unit: "{message}", description: "Inbox rows deleted after the redelivery horizon.");

    static HousekeepingMetrics()
    {
        s_meter.CreateObservableGauge("procexon.outbox.backlog",
            () => s_samples.Values.Select(s => new Measurement<int>(s.OutboxWaiting, Database(s))),
            unit: "{message}", description: "Committed events not yet confirmed by the broker.");
        s_meter.CreateObservableGauge("procexon.outbox.oldest_age",
            () => s_samples.Values.Select(s => new Measurement<double>(s.OldestWaiting.TotalSeconds, Database(s))),
            unit: "s", description: "Age of the oldest event waiting in the outbox.");
        s_meter.CreateObservableGauge("procexon.database.table_size",
            () => s_samples.Values.SelectMany(s => s.Tables.Select(t => new Measurement<long>(t.Bytes, Database(s), Table(t)))),
            unit: "By", description: "A table's size on disk, indexes and TOAST included.");
        s_meter.CreateObservableGauge("procexon.database.table_rows",
            () => s_samples.Values.SelectMany(s => s.Tables.Select(t => new Measurement<long>(t.Rows, Database(s), Table(t)))),
            unit: "{row}", description: "A table's live rows as PostgreSQL's statistics estimate them.");
    }

    internal static void Record(DatabaseSample sample) => s_samples[sample.Database] = sample;

    private static KeyValuePair<string, object?> Database(DatabaseSample sample) => new("db.namespace", sample.Database);

    private static KeyValuePair<string, object?> Table(TableSize table) => new("db.collection.name", table.Table);
}
