using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Procexon.Messaging.ErrorQueues;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Procexon.Messaging.Inbox;

public sealed class ConsumerWatchdogOptions
{
    /// <summary>How often the broker is asked about each queue the process consumes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Looks in a row that must find messages waiting and no consumer before the endpoint is restarted.</summary>
    public int Looks { get; set; } = 3;

    /// <summary>How long the endpoint's stop and its start again may each take.</summary>
    public TimeSpan RestartTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Restarts a receive endpoint whose queue has messages waiting and, as the broker counts them, no consumer, in several
/// looks in a row. After a cluster node's death MassTransit's consumer can miss its channel's shutdown: in one run of
/// <c>BrokerClusterTests</c> (docs/reliability.md) the receive endpoint logged nothing after the kill, the process went
/// on as if it consumed, and the queue kept its messages with no consumer for minutes. The broker's count is read with
/// a passive declare on Aspire's connection, not MassTransit's; an endpoint MassTransit is still reconnecting shows up
/// within the first look or two and is left alone. With replicas, each restarts its own endpoint.
/// </summary>
public sealed partial class ConsumerWatchdog(
    IConnection connection, ConsumedQueues queues, IOptions<ConsumerWatchdogOptions> options, ILogger<ConsumerWatchdog> logger) : BackgroundService
{
    private readonly Dictionary<string, int> _looksWithoutConsumer = new(StringComparer.Ordinal);

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
        foreach (var (queue, endpoint) in queues.Endpoints)
        {
            if (await WaitingWithoutConsumerAsync(queue, cancellationToken) is not (true, var waiting))
            {
                _looksWithoutConsumer.Remove(queue);
                continue;
            }

            var looks = _looksWithoutConsumer[queue] = _looksWithoutConsumer.GetValueOrDefault(queue) + 1;
            LogNoConsumer(logger, queue, waiting, looks, settings.Looks);
            if (looks >= settings.Looks)
            {
                _looksWithoutConsumer.Remove(queue);
                await RestartAsync(queue, endpoint, settings, cancellationToken);
            }
        }
    }

    /// <summary>Whether the queue has messages and no consumer, and how many; false when the broker cannot say now.</summary>
    private async Task<(bool, uint)> WaitingWithoutConsumerAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return (declared.ConsumerCount == 0 && declared.MessageCount > 0, declared.MessageCount);
        }
        catch (Exception ex) when (ex is OperationInterruptedException or AlreadyClosedException or BrokerUnreachableException or TimeoutException
            && !cancellationToken.IsCancellationRequested)
        {
            // The broker, or the queue's leader, is away: the connection recovers by itself, and the next look asks again.
            LogLookFailed(logger, ex, queue);
            return (false, 0);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue} has {Waiting} messages and no consumer although this process consumes it ({Looks} of {Limit} looks)")]
    private static partial void LogNoConsumer(ILogger logger, string queue, uint waiting, int looks, int limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The broker could not say whether queue {Queue} has a consumer")]
    private static partial void LogLookFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A look at the consumed queues failed; the next one starts afresh")]
    private static partial void LogLookAborted(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Restarting the receive endpoint of {Queue}: {Looks} looks in a row found messages waiting and no consumer")]
    private static partial void LogRestarting(ILogger logger, string queue, int looks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The receive endpoint of {Queue} consumes again")]
    private static partial void LogRestarted(ILogger logger, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "The receive endpoint of {Queue} could not be restarted")]
    private static partial void LogRestartFailed(ILogger logger, Exception exception, string queue);
}
