using MassTransit;
using MassTransit.RabbitMqTransport;
using MassTransit.RabbitMqTransport.Configuration;
using MassTransit.Transports;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Procexon.Messaging.Outbox;

/// <summary>
/// Gives MassTransit a new connection, and so new channels, when the outbox's publishes keep failing.
/// <para>
/// A RabbitMQ 3.10 channel asks a quorum queue for its leader once, at its first publish to the queue, from the queue's
/// record. Right after the leader's node dies the record still names it: that first publish is refused (basic.nack), and
/// the channel keeps the dead leader, so it refuses every later publish to the queue for as long as that node stays down,
/// although the survivors elected a new leader within seconds. A new channel asks again and is accepted. MassTransit
/// publishes through one long-lived channel, keeps it after a nack and retries the publish on it until the outbox's
/// timeout, so without this the outbox's events waited for that node's return (docs/reliability.md, the cluster row).
/// </para>
/// </summary>
public sealed partial class BrokerConnectionRenewal(IBusInstance bus, TimeProvider clock, ILogger<BrokerConnectionRenewal> logger)
{
    /// <summary>At most one renewal in this time: the consumers reconnect with the connection, and the dispatchers fail together.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(5);

    /// <summary>The client waits at least this long (its minimum) for the close-ok before it drops the socket.</summary>
    private static readonly TimeSpan AbortAfter = TimeSpan.FromSeconds(5);

    private long _lastRenewal = long.MinValue;
    private int _failuresInARow;

    /// <summary>A batch of the outbox's was confirmed: the connection serves.</summary>
    public void Confirmed() => Volatile.Write(ref _failuresInARow, 0);

    /// <summary>
    /// A batch was not confirmed, by any of the process's dispatchers. From the second in a row the connection is renewed:
    /// the first is usually a connection that died, which MassTransit is replacing already.
    /// </summary>
    public Task NotConfirmedAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _failuresInARow) >= 2 ? RenewAsync(timeout, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Drops MassTransit's connection; it reconnects by itself (to the next node of a cluster that answers), as after a
    /// node's death. Waits at most <paramref name="timeout"/>: with the broker down there is no connection to close.
    /// </summary>
    private async Task RenewAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastRenewal);
        if ((last != long.MinValue && clock.GetElapsedTime(last, now) < MinimumInterval)
            || Interlocked.CompareExchange(ref _lastRenewal, now, last) != last
            || bus.HostConfiguration is not IRabbitMqHostConfiguration rabbit)
        {
            return;
        }

        LogRenewing(logger);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            // Aborted, not closed: a close waits up to 30 s for the broker's close-ok, which a connection whose channel stopped
            // reading (flow, its queue's leader gone) never sends. An abort drops the socket after 5 s at most.
            await rabbit.ConnectionContextSupervisor.Send(Pipe.ExecuteAsync<ConnectionContext>(context =>
                context.Connection.CloseAsync(Constants.ReplySuccess, "Renewed: the outbox's publishes were not confirmed", AbortAfter, abort: true, limit.Token)), limit.Token)
                .WaitAsync(limit.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // No connection to close (the broker is down, or the connection already went): MassTransit connects anew anyway.
            LogRenewalFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox's publishes were not confirmed twice in a row: renewing the bus's connection, so its channels ask the queues afresh")]
    private static partial void LogRenewing(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The bus's connection could not be dropped for renewal")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);
}
