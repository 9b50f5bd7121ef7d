using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Procexon.Messaging;

/// <summary>
/// Queues a service consumed from in an earlier version and no longer does. MassTransit declares a consumer's queue and
/// its bindings but never deletes them, so a retired consumer's queue would stay bound to its event's exchange and fill
/// for ever on a broker that keeps its data. At start each is unbound (the endpoint's exchange of the same name, which
/// the event's exchange feeds, is deleted) and then deleted when empty, with its error queue; a queue that still holds
/// messages is kept and logged, for an operator to look at what the old consumer never took.
/// </summary>
public sealed partial class RetiredQueues(IConnection connection, IReadOnlyList<string> queues, ILogger<RetiredQueues> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var queue in queues)
        {
            try
            {
                await RetireAsync(queue, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not a reason to stop the service: the queue only fills, and the next start tries again.
                LogNotRetired(logger, queue, e);
            }
        }
    }

    /// <summary>Unbinds and deletes the queue and its error queue; what is not empty is kept. Returns what was deleted.</summary>
    public async Task<IReadOnlyList<string>> RetireAsync(string queue, CancellationToken cancellationToken)
    {
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
        {
            // Deleting an exchange that does not exist is not an error: a second start does nothing here.
            await channel.ExchangeDeleteAsync(queue, ifUnused: false, cancellationToken: cancellationToken);
        }

        var deleted = new List<string>();
        foreach (var name in new[] { queue, $"{queue}_error", $"{queue}_skipped" })
        {
            if (await DeleteIfEmptyAsync(name, cancellationToken))
            {
                deleted.Add(name);
            }
        }

        return deleted;
    }

    private async Task<bool> DeleteIfEmptyAsync(string queue, CancellationToken cancellationToken)
    {
        // A passive declare that finds no queue closes its channel (404), so each queue gets a channel of its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        uint messages;
        try
        {
            messages = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }

        if (messages > 0)
        {
            // Quorum queues refuse queue.delete's if-empty flag, so the count is checked first; nothing routes to the
            // queue any more once its exchange is gone, so it cannot fill in between.
            LogKept(logger, queue, messages);
            return false;
        }

        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
        LogRetired(logger, queue);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retired queue {Queue} deleted: no consumer of this version reads it")]
    private static partial void LogRetired(ILogger logger, string queue);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Retired queue {Queue} still holds {Messages} messages that no consumer of this version reads; it is unbound and kept for an operator")]
    private static partial void LogKept(ILogger logger, string queue, uint messages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retired queue {Queue} could not be retired; the next start tries again")]
    private static partial void LogNotRetired(ILogger logger, string queue, Exception exception);
}

public static class RetiredQueuesExtensions
{
    /// <summary>Deletes, at start, queues of consumers this service no longer has (<see cref="RetiredQueues"/>).</summary>
    public static IHostApplicationBuilder RetireQueues(this IHostApplicationBuilder builder, params string[] queues)
    {
        builder.Services.AddSingleton(services => new RetiredQueues(
            services.GetRequiredService<IConnection>(), queues, services.GetRequiredService<ILogger<RetiredQueues>>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<RetiredQueues>());
        return builder;
    }
}
