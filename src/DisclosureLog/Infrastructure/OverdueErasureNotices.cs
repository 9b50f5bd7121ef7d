using System.Diagnostics.Metrics;

namespace Procexon.DisclosureLog.Infrastructure;

/// <summary>
/// The number of erasure notices past their confirm-by time, as the gauge <c>procexon.erasure_notices.overdue</c>
/// of the meter <c>Procexon.DisclosureLog</c>. The gauge reads a cached count, so a metrics scrape never queries the
/// database; <see cref="OverdueErasureNoticesMonitor"/> refreshes it.
/// </summary>
public sealed class OverdueErasureNotices
{
    public const string MeterName = "Procexon.DisclosureLog";
    public const string GaugeName = "procexon.erasure_notices.overdue";

    private long _count;

    public OverdueErasureNotices(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(GaugeName, () => Count, unit: "{notice}",
            description: "Erasure notices (GDPR Art 19) that their recipient has not confirmed by the confirm-by time.");
    }

    public long Count => Interlocked.Read(ref _count);

    internal void Set(long count) => Interlocked.Exchange(ref _count, count);
}

/// <summary>Counts the overdue erasure notices at start and every <see cref="RefreshInterval"/> after.</summary>
public sealed partial class OverdueErasureNoticesMonitor(
    IServiceScopeFactory scopes,
    OverdueErasureNotices overdue,
    TimeProvider clock,
    ILogger<OverdueErasureNoticesMonitor> logger) : BackgroundService
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
                // A database that is away for a moment leaves the last count standing; the next tick tries again.
                LogRefreshFailed(logger, ex);
            }
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
    }

    /// <summary>Counts the overdue notices now and caches the count for the gauge.</summary>
    public async Task<long> RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DisclosureLogContext>();
        var count = await db.ErasureNotifications.OverdueAt(clock.GetUtcNow()).LongCountAsync(cancellationToken);
        overdue.Set(count);
        return count;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting the overdue erasure notices failed; the gauge keeps its last value")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
