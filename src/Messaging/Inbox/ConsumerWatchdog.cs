using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Procexon.Messaging.Inbox;

public sealed class ConsumerWatchdogOptions
{
    /// <summary>How often the broker is asked about each queue the process consumes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Looks in a row that must find messages waiting and none handed to the endpoint since the look before, before the
    /// endpoint is restarted.
    /// </summary>
    public int Looks { get; set; } = 3;

    /// <summary>How long the endpoint's stop and its start again may each take.</summary>
    public TimeSpan RestartTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Restarts a receive endpoint whose queue has had messages waiting at several looks in a row while the endpoint was
/// handed none. After a cluster node's death MassTransit's consumer can miss its channel's shutdown: in runs of
/// <c>BrokerClusterTests</c> (docs/reliability.md) the receive endpoint logged nothing after the kill, the process went
/// on as if it consumed, and the queue kept its messages for minutes. The broker may still count such a consumer (a
/// quorum queue keeps one on a lost node as suspected), so the judge is what this process received
/// (<see cref="ConsumedQueue.Deliveries"/>), and the broker is only asked how many messages wait: by a passive declare on
/// Aspire's connection, not MassTransit's. An endpoint that is reconnecting, or busy, is handed messages within a look
/// or two and is left alone. With replicas, each restarts its own endpoint.
/// </summary>
public sealed partial class ConsumerWatchdog(
    IConnection connection, ConsumedQueues queues, IOptions<ConsumerWatchdogOptions> options, ILogger<ConsumerWatchdog> logger) : BackgroundService
{
    private readonly Dictionary<string, (long Deliveries, int Stalled)> _seen = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await LookAsync(settings, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever went wrong, the next look starts afresh: a watchdog that stopped the host would be worse.
                    LogLookAborted(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task LookAsync(ConsumerWatchdogOptions settings, CancellationToken cancellationToken)
    {
        IChannel? channel = null;
        try
        {
            foreach (var queue in queues.Queues)
            {
                // Read before the broker is asked, so a delivery during the question counts for this look.
                var deliveries = queue.Deliveries;
                if (channel is null || channel.IsClosed)
                {
                    // A failed passive declare closes its channel: the next queue is asked on a new one.
                    if (channel is not null)
                    {
                        await channel.DisposeAsync();
                    }

                    channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                }

                var waiting = await WaitingAsync(channel, queue.Name, cancellationToken);
                var stalled = _seen.TryGetValue(queue.Name, out var before) && deliveries == before.Deliveries && waiting > 0
                    ? before.Stalled + 1
                    : 0;
                _seen[queue.Name] = (deliveries, stalled);
                if (stalled == 0)
                {
                    continue;
                }

                LogStalled(logger, queue.Name, waiting, stalled, settings.Looks);
                if (stalled >= settings.Looks)
                {
                    _seen.Remove(queue.Name);
                    await RestartAsync(queue.Name, queue.Endpoint, settings, cancellationToken);
                }
            }
        }
        finally
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
        }
    }

    /// <summary>How many messages wait in the queue, ready to be handed out; 0 when the broker cannot say now.</summary>
    private async Task<uint> WaitingAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (Exception ex) when (ex is OperationInterruptedException or AlreadyClosedException or BrokerUnreachableException or TimeoutException
            && !cancellationToken.IsCancellationRequested)
        {
            // The broker, or the queue's leader, is away: the connection recovers by itself, and the next look asks again.
            LogLookFailed(logger, ex, queue);
            return 0;
        }
    }

    private async Task RestartAsync(string queue, IReceiveEndpoint endpoint, ConsumerWatchdogOptions settings, CancellationToken cancellationToken)
    {
        LogRestarting(logger, queue, settings.Looks);
        OutboxMetrics.ConsumerRestarts.Add(1, new KeyValuePair<string, object?>("messaging.destination.name", queue));
        try
        {
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                stop.CancelAfter(settings.RestartTimeout);
                await endpoint.Stop(stop.Token);
            }

            using var start = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            start.CancelAfter(settings.RestartTimeout);
            await endpoint.Start(cancellationToken).Ready.WaitAsync(start.Token);
            LogRestarted(logger, queue);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A stop that did not finish leaves the endpoint started (Start then refuses): the next looks try again.
            LogRestartFailed(logger, ex, queue);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} has {Waiting} messages waiting and this process was handed none since the last look ({Looks} of {Limit} looks)")]
    private static partial void LogStalled(ILogger logger, string queue, uint waiting, int looks, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "The broker could not say how many messages wait in queue {Queue}")]
    private static partial void LogLookFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A look at the consumed queues failed; the next one starts afresh")]
    private static partial void LogLookAborted(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Restarting the receive endpoint of {Queue}: {Looks} looks in a row found messages waiting and none handed to it")]
    private static partial void LogRestarting(ILogger logger, string queue, int looks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The receive endpoint of {Queue} consumes again")]
    private static partial void LogRestarted(ILogger logger, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "The receive endpoint of {Queue} could not be restarted")]
    private static partial void LogRestartFailed(ILogger logger, Exception exception, string queue);
}
