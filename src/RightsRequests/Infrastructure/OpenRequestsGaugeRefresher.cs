using Microsoft.Extensions.Options;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>Counts open, overdue and due-soon requests every ten seconds for <see cref="RightsRequestsMetrics"/>' gauges.</summary>
public sealed partial class OpenRequestsGaugeRefresher(
    IServiceScopeFactory scopes,
    RightsRequestsMetrics metrics,
    TimeProvider clock,
    IOptions<RequestLifecycleOptions> options,
    ILogger<OpenRequestsGaugeRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The gauges keep their last values; the next tick tries again.
                LogRefreshFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Counts now; the timer calls it, and tests call it after moving the clock.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RightsRequestsContext>();
        var open = RequestLifecycleApi.Open(db);
        // Past the end of the due day in Finnish time = due before today in Finland (AnswerPeriod.IsOverdue).
        var today = AnswerPeriod.FinnishDate(clock.GetUtcNow());
        var openCount = await open.LongCountAsync(cancellationToken);
        var overdueCount = await open.LongCountAsync(r => r.DueOn < today, cancellationToken);
        var lastDueSoon = today.AddDays(options.Value.DueSoonDays);
        var dueSoonCount = await open.LongCountAsync(r => r.DueOn >= today && r.DueOn <= lastDueSoon, cancellationToken);
        metrics.SetOpenCounts(openCount, overdueCount);
        metrics.SetDueSoonCount(dueSoonCount);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count open requests for the gauges")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
