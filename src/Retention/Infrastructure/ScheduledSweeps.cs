using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Procexon.Retention.Infrastructure;

/// <summary>What the last scheduled sweep did; <see cref="Number"/> counts sweeps since the process started.</summary>
public sealed record SweepOutcome(long Number, DateTimeOffset At, int Released, string? Error);

/// <summary>
/// Runs <see cref="RetentionSweep"/> once at start and then every <see cref="SweepOptions.SweepInterval"/>, timed by
/// <see cref="TimeProvider"/> so tests move the clock. Its health check turns degraded while sweeps fail.
/// </summary>
public sealed partial class ScheduledSweeps(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<SweepOptions> options,
    ILogger<ScheduledSweeps> logger) : BackgroundService, IHealthCheck
{
    private volatile SweepOutcome? _last;

    public SweepOutcome? LastSweep => _last;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SweepInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            // The next tick is set before the sweep runs, so sweeps keep their rhythm however long one takes.
            var nextTick = Task.Delay(interval, clock, stoppingToken);
            if (!await SweepOnceAsync(stoppingToken))
            {
                return;
            }

            try
            {
                await nextTick;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One sweep; a failure is logged and waits for the next tick. False when the host is stopping.</summary>
    private async Task<bool> SweepOnceAsync(CancellationToken stoppingToken)
    {
        var number = (_last?.Number ?? 0) + 1;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var released = await scope.ServiceProvider.GetRequiredService<RetentionSweep>().ReleaseDueHoldsAsync(stoppingToken);
            _last = new SweepOutcome(number, clock.GetUtcNow(), released, null);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex)
        {
            _last = new SweepOutcome(number, clock.GetUtcNow(), 0, ex.Message);
            LogSweepFailed(logger, ex, options.Value.SweepInterval);
            return true;
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_last switch
        {
            null => HealthCheckResult.Healthy("No scheduled sweep has finished yet."),
            // The exception's message goes to the log only: /health answers anyone.
            { Error: not null } last => HealthCheckResult.Degraded($"The sweep at {last.At:O} failed; the log says why."),
            var last => HealthCheckResult.Healthy($"The sweep at {last.At:O} released {last.Released} legal holds."),
        });

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention sweep failed; the next one runs in {Interval}")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, TimeSpan interval);
}
