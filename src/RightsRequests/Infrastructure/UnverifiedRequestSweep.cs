using Microsoft.Extensions.Options;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>
/// Closes requests nobody verified within <see cref="RequestLifecycleOptions.VerificationWindow"/> as expired: they
/// executed nothing and now never will. Rows are locked and locked ones skipped, so a verification in flight wins.
/// </summary>
public sealed partial class UnverifiedRequestSweep(
    IServiceScopeFactory scopes,
    IOptions<RequestLifecycleOptions> options,
    TimeProvider clock,
    ILogger<UnverifiedRequestSweep> logger) : BackgroundService
{
    private const int Batch = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        do
        {
            try
            {
                var expired = await ExpireUnverifiedAsync(stoppingToken);
                if (expired > 0)
                {
                    LogExpired(logger, expired);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Expires every request entered before now minus the window and still unverified; returns how many.</summary>
    public async Task<int> ExpireUnverifiedAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        int expired;
        do
        {
            expired = await ExpireBatchAsync(cancellationToken);
            total += expired;
        }
        while (expired == Batch);

        return total;
    }

    private async Task<int> ExpireBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RightsRequestsContext>();
        var window = options.Value.VerificationWindow;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            var cutoff = now - window;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var ids = await db.Database.SqlQuery<Guid>($"""
                SELECT id AS "Value" FROM rights_requests
                WHERE status = 'AwaitingVerification' AND coalesce(entered_at, received_at) < {cutoff}
                ORDER BY coalesce(entered_at, received_at)
                LIMIT {Batch}
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return 0;
            }

            var requests = await db.Requests.Where(r => ids.Contains(r.Id)).ToListAsync(ct);
            var expired = requests.Count(r => r.Expire(window, now));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return expired;
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired {Count} requests whose identity was never verified")]
    private static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not expire unverified requests; the next sweep tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
