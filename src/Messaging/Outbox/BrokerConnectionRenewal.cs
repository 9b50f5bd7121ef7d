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
/// <para>
/// Only a connection that was already failing at the previous look is dropped. Right after a node's death the first
/// look finds the connection MassTransit has just made (or makes it): dropping that one too, and the next, kept the
/// service's consumers from ever settling on a survivor in one CI run (no consumer on the queue three minutes later).
/// A look that finds no connection at all (the broker down) starts the count over, for the same reason.
/// </para>
/// </summary>
public sealed partial class BrokerConnectionRenewal(IBusInstance bus, TimeProvider clock, ILogger<BrokerConnectionRenewal> logger)
{
    /// <summary>
    /// At most one look in this time, so a connection is dropped only after failing this long: the consumers reconnect with
    /// it, and the dispatchers fail together.
    /// </summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(5);

    /// <summary>The client waits at least this long (its minimum) for the close-ok before it drops the socket.</summary>
    private static readonly TimeSpan AbortAfter = TimeSpan.FromSeconds(5);

    private long _lastRenewal = long.MinValue;
    private int _failuresInARow;

    /// <summary>The connection the previous look found while publishes failed; dropped if the next look finds it again.</summary>
    private WeakReference<IConnection>? _failing;

    /// <summary>A batch of the outbox's was confirmed: the connection serves.</summary>
    public void Confirmed() => StartOver();

    /// <summary>Forgets the failures so far and the connection the last look found.</summary>
    private void StartOver()
    {
        Volatile.Write(ref _failuresInARow, 0);
        if (Volatile.Read(ref _failing) is not null)
        {
            Volatile.Write(ref _failing, null);
        }
    }

    /// <summary>
    /// A batch was not confirmed, by any of the process's dispatchers. From the second in a row the connection is looked at:
    /// the first is usually a connection that died, which MassTransit is replacing already.
    /// </summary>
    public Task NotConfirmedAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _failuresInARow) >= 2 ? RenewAsync(timeout, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Drops MassTransit's connection if the previous look found it too; MassTransit reconnects by itself (to the next node
    /// of a cluster that answers), as after a node's death. Waits at most <paramref name="timeout"/>: with the broker down
    /// there is no connection to look at.
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

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            // Aborted, not closed: a close waits up to 30 s for the broker's close-ok, which a connection whose channel stopped
            // reading (flow, its queue's leader gone) never sends. An abort drops the socket after 5 s at most.
            await rabbit.ConnectionContextSupervisor.Send(Pipe.ExecuteAsync<ConnectionContext>(context =>
                {
                    if (!FailedBefore(context.Connection))
                    {
                        LogWatching(logger, context.Description);
                        return Task.CompletedTask;
                    }

                    LogRenewing(logger, context.Description);
                    return context.Connection.CloseAsync(Constants.ReplySuccess, "Renewed: the outbox's publishes were not confirmed", AbortAfter, abort: true, limit.Token);
                }), limit.Token)
                .WaitAsync(limit.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // No connection to look at (the broker is down, or the connection already went): MassTransit connects anew anyway.
            // The failures so far had no connection and say nothing of the one it makes next, which is looked at only after
            // failures of its own: counted on, one slow publish while the broker recovers its queues would be enough to
            // drop it, and its consumers with it.
            StartOver();
            LogRenewalFailed(logger, ex);
        }
    }

    /// <summary>True when the previous look found this connection too; otherwise it is remembered for the next look.</summary>
    private bool FailedBefore(IConnection connection)
    {
        var previous = Volatile.Read(ref _failing);
        if (previous is not null && previous.TryGetTarget(out var failing) && ReferenceEquals(failing, connection))
        {
            Volatile.Write(ref _failing, null);
            return true;
        }

        Volatile.Write(ref _failing, new WeakReference<IConnection>(connection));
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox's publishes are still not confirmed on {Connection}: renewing the bus's connection, so its channels ask the queues afresh")]
    private static partial void LogRenewing(ILogger logger, string connection);

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox's publishes were not confirmed twice in a row; {Connection} is dropped if they still fail at the next look")]
    private static partial void LogWatching(ILogger logger, string connection);

    [LoggerMessage(Level = LogLevel.Information, Message = "The bus's connection could not be dropped for renewal")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);
}
