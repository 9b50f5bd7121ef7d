using System.Collections.Concurrent;
using MassTransit;
using Procexon.Messaging;

namespace Procexon.Registry.Infrastructure;

/// <summary>
/// Each register erases and carries out rights on queues of its own (<c>registry-erasure-{register}</c>,
/// <c>registry-rights-{register}</c>). The seeded registers' queues are declared with the bus; a register added to the
/// catalogue later gets its queues at run time: declared by the replica that adds it before the register commits (so no
/// request can be sent to a queue that does not exist), and consumed by every replica within a check interval
/// (<see cref="RegisterQueueReconciler"/>).
/// </summary>
public sealed partial class RegisterQueues(IReceiveEndpointConnector connector, ILogger<RegisterQueues> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _connected = new(
        CatalogueSeeder.RegisterSlugs().Select(slug => KeyValuePair.Create(slug, new Lazy<Task>(Task.CompletedTask))),
        StringComparer.Ordinal);

    /// <summary>The erasure queue of one register: one batch transaction at a time (see <see cref="Extensions.Extensions"/>).</summary>
    public static void ConfigureErasure(IRegistrationContext context, IReceiveEndpointConfigurator endpoint)
    {
        endpoint.UseDurableDefaults();
        endpoint.ConfigureConsumeTopology = false;
        // One batch transaction at a time per register (as on every batch consumer's queue; AddBatchConsumer also sizes
        // the queue's deliveries at once to its batches): ten queues cannot fill the connection pool with transactions on
        // the same few subjects and starve the scope resolver and the outbox (docs/performance.md), yet a backlog is
        // erased a batch of up to a hundred subjects per commit.
        endpoint.ConfigureConsumer<ApplyErasureInRegister>(context);
    }

    public static void ConfigureRights(IRegistrationContext context, IReceiveEndpointConfigurator endpoint)
    {
        endpoint.UseDurableDefaults();
        endpoint.ConfigureConsumeTopology = false;
        endpoint.ConfigureConsumer<ApplyRightInRegister>(context);
    }

    /// <summary>Declares and consumes the register's queues on this replica, once; a failed attempt is tried again next time.</summary>
    public async Task EnsureAsync(string register, CancellationToken cancellationToken)
    {
        var connection = _connected.GetOrAdd(register, slug => new Lazy<Task>(() => ConnectAsync(slug)));
        try
        {
            await connection.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (connection.Value.IsFaulted)
        {
            _connected.TryRemove(KeyValuePair.Create(register, connection));
            throw;
        }
    }

    private async Task ConnectAsync(string register)
    {
        var erasure = connector.ConnectReceiveEndpoint(ResolveErasureScope.QueueOf(register), ConfigureErasure);
        var rights = connector.ConnectReceiveEndpoint(ResolveRightScope.QueueOf(register), ConfigureRights);
        await Task.WhenAll(erasure.Ready, rights.Ready);
        LogConnected(logger, register);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Register {Register} added at run time: its erasure and rights queues are consumed")]
    private static partial void LogConnected(ILogger logger, string register);
}

/// <summary>Gives this replica the queues of every register in the catalogue, whichever replica added it.</summary>
public sealed partial class RegisterQueueReconciler(
    IServiceScopeFactory scopes, RegisterQueues queues, IConfiguration configuration, ILogger<RegisterQueueReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Registry:RegisterQueueCheckInterval", TimeSpan.FromSeconds(30));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<RegistryContext>();
                foreach (var register in await db.Registers.AsNoTracking().Select(r => r.Slug).ToListAsync(stoppingToken))
                {
                    await queues.EnsureAsync(register, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may still be migrating, or the broker away: the next round tries again.
                LogCheckFailed(logger, ex);
            }

            try
            {
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the registers' queues; trying again at the next interval")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
