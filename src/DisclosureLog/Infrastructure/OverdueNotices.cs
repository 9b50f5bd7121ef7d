using System.Diagnostics.Metrics;

namespace Procexon.DisclosureLog.Infrastructure;

/// <summary>
/// The numbers of erasure, rectification and restriction notices (a restriction's and its lifting's) past their
/// confirm-by time, as the gauges <c>procexon.erasure_notices.overdue</c>, <c>procexon.rectification_notices.overdue</c>
/// and <c>procexon.restriction_notices.overdue</c> of the meter
/// <c>Procexon.DisclosureLog</c>. The gauges read cached counts, so a metrics scrape never queries the database;
/// <see cref="OverdueNoticesMonitor"/> refreshes them.
/// </summary>
public sealed class OverdueNotices
{
    public const string MeterName = "Procexon.DisclosureLog";
    public const string ErasureGaugeName = "procexon.erasure_notices.overdue";
    public const string RectificationGaugeName = "procexon.rectification_notices.overdue";
    public const string RestrictionGaugeName = "procexon.restriction_notices.overdue";

    private long _erasures;
    private long _rectifications;
    private long _restrictions;

    public OverdueNotices(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(ErasureGaugeName, () => Erasures, unit: "{notice}",
            description: "Erasure notices (GDPR Art 19) that their recipient has not confirmed by the confirm-by time.");
        meter.CreateObservableGauge(RectificationGaugeName, () => Rectifications, unit: "{notice}",
            description: "Rectification notices (GDPR Art 19) that their recipient has not confirmed by the confirm-by time.");
        meter.CreateObservableGauge(RestrictionGaugeName, () => Restrictions, unit: "{notice}",
            description: "Restriction notices and notices of its lifting (GDPR Art 19) that their recipient has not confirmed by the confirm-by time.");
    }

    public long Erasures => Interlocked.Read(ref _erasures);

    public long Rectifications => Interlocked.Read(ref _rectifications);

    public long Restrictions => Interlocked.Read(ref _restrictions);

    internal void Set(OverdueCounts counts)
    {
        Interlocked.Exchange(ref _erasures, counts.Erasures);
        Interlocked.Exchange(ref _rectifications, counts.Rectifications);
        Interlocked.Exchange(ref _restrictions, counts.Restrictions);
    }
}

public readonly record struct OverdueCounts(long Erasures, long Rectifications, long Restrictions = 0);

/// <summary>Counts the overdue notices at start and every <see cref="RefreshInterval"/> after.</summary>
public sealed partial class OverdueNoticesMonitor(
    IServiceScopeFactory scopes,
    OverdueNotices overdue,
    TimeProvider clock,
    ILogger<OverdueNoticesMonitor> logger) : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A database that is away for a moment leaves the last counts standing; the next tick tries again.
                LogRefreshFailed(logger, ex);
            }
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
    }

    /// <summary>Counts the overdue notices now and caches the count for the gauge.</summary>
    public async Task<OverdueCounts> RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DisclosureLogContext>();
        var now = clock.GetUtcNow();
        var counts = new OverdueCounts(
            await db.ErasureNotifications.OverdueAt(now).LongCountAsync(cancellationToken),
            await db.RectificationNotifications.OverdueAt(now).LongCountAsync(cancellationToken),
            await db.RestrictionNotifications.OverdueAt(now).LongCountAsync(cancellationToken));
        overdue.Set(counts);
        return counts;
    }

    private static async Task<bool> WaitForNextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting the overdue notices failed; the gauges keep their last values")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
