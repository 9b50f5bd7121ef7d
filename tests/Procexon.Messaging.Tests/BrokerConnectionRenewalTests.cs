using MassTransit;
using MassTransit.RabbitMqTransport;
using MassTransit.RabbitMqTransport.Configuration;
using MassTransit.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Procexon.Messaging.Outbox;
using Procexon.Testing;
using RabbitMQ.Client;
using IHost = Microsoft.Extensions.Hosting.IHost;

namespace Procexon.Messaging.Tests;

/// <summary>
/// When the outbox's publishes keep failing, the bus's connection is dropped only if it was already there and failing
/// at the previous look: a connection MassTransit has just made after a node's death is left to settle (its consumers
/// with it), and failures while there was no connection at all do not count against the one made at the broker's return.
/// On the real broker, with the renewal's clock in the test's hands.
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class BrokerConnectionRenewalTests(MessagingFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <summary>How long MassTransit may take to connect again: it waits seconds between attempts after the broker's death.</summary>
    private static readonly TimeSpan s_reconnect = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Only_a_connection_found_failing_at_the_previous_look_is_dropped()
    {
        using var host = await fixture.StartOwnServiceAsync("renewal-tests", _ => { });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var renewal = new BrokerConnectionRenewal(host.Services.GetRequiredService<IBusInstance>(), clock, NullLogger<BrokerConnectionRenewal>.Instance);
        var first = await ConnectionAsync(host);

        // One failure is no reason to look; the second makes the first look, which only remembers the connection.
        await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        Assert.True(first.IsOpen, "The connection was dropped at the first look.");

        // Within the interval nothing is looked at, however many failures.
        clock.Advance(BrokerConnectionRenewal.MinimumInterval / 2);
        await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        Assert.True(first.IsOpen, "The connection was dropped within the minimum interval.");

        // Still failing at the next look: dropped, and MassTransit connects anew.
        clock.Advance(BrokerConnectionRenewal.MinimumInterval);
        await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        Assert.False(first.IsOpen, "The connection found failing at two looks was not dropped.");
        var second = await NextConnectionAsync(host, first);

        // The new connection is only remembered at its first look; a confirmed batch then forgets it, so the look after
        // the next failures starts over, and only the one after that drops it.
        clock.Advance(BrokerConnectionRenewal.MinimumInterval);
        await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        Assert.True(second.IsOpen, "A connection made after the drop was dropped at its first look.");
        renewal.Confirmed();
        clock.Advance(BrokerConnectionRenewal.MinimumInterval);
        await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        Assert.True(second.IsOpen, "A connection was dropped although a batch was confirmed on it since the previous look.");
        clock.Advance(BrokerConnectionRenewal.MinimumInterval);
        await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        Assert.False(second.IsOpen, "The connection found failing at two looks after the confirmed batch was not dropped.");
        await NextConnectionAsync(host, second);

        await host.StopAsync();
    }

    [Fact]
    public async Task Failures_while_the_broker_is_down_do_not_count_against_the_connection_made_at_its_return()
    {
        // A broker of its own: killing the collection's would set every other test's consumers reconnecting.
        await using var broker = await RabbitMqServer.StartAsync();
        using var host = await NotesHost.StartAsync("renewal-outage-tests", new Dictionary<string, string?>
        {
            ["ConnectionStrings:notesdb"] = fixture.Postgres.ConnectionString("renewaloutagetestsdb"),
            ["ConnectionStrings:messaging"] = broker.Uri.ToString(),
        }, _ => { });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var renewal = new BrokerConnectionRenewal(host.Services.GetRequiredService<IBusInstance>(), clock, NullLogger<BrokerConnectionRenewal>.Instance);
        var before = await ConnectionAsync(host);

        // Publishes fail while the broker is down, and the look they lead to finds no connection.
        await broker.KillAsync();
        try
        {
            await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
            await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        }
        finally
        {
            await broker.RestartAsync();
        }

        var back = await NextConnectionAsync(host, before);

        // From its return the count starts over: the first failure is no reason to look, the second only remembers the
        // connection, whatever failed before it existed. Counted on, the second would have dropped it.
        clock.Advance(BrokerConnectionRenewal.MinimumInterval);
        await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        clock.Advance(BrokerConnectionRenewal.MinimumInterval);
        await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        Assert.True(back.IsOpen, "The connection made at the broker's return was dropped for failures from before it existed.");

        // Its own failures still count: at the next look it is dropped.
        clock.Advance(BrokerConnectionRenewal.MinimumInterval);
        await renewal.NotConfirmedAsync(s_timeout, CancellationToken.None);
        Assert.False(back.IsOpen, "The connection found failing at two looks after the broker's return was not dropped.");
        await NextConnectionAsync(host, back);

        await host.StopAsync();
    }

    private static async Task<IConnection> ConnectionAsync(IHost host)
    {
        var rabbit = (IRabbitMqHostConfiguration)host.Services.GetRequiredService<IBusInstance>().HostConfiguration;
        IConnection? connection = null;
        await rabbit.ConnectionContextSupervisor.Send(Pipe.ExecuteAsync<ConnectionContext>(context =>
        {
            connection = context.Connection;
            return Task.CompletedTask;
        }), CancellationToken.None);
        return connection!;
    }

    /// <summary>The bus's connection once MassTransit has replaced <paramref name="dropped"/> with an open one.</summary>
    private static async Task<IConnection> NextConnectionAsync(IHost host, IConnection dropped)
    {
        IConnection? next = null;
        Assert.True(await Eventually.EventuallyAsync(async () =>
        {
            try
            {
                next = await ConnectionAsync(host);
                return !ReferenceEquals(next, dropped) && next.IsOpen;
            }
            catch (Exception ex) when (ex is RabbitMqConnectionException or OperationCanceledException)
            {
                // The supervisor still held the dropped connection's context.
                return false;
            }
        }, s_reconnect), "MassTransit did not connect again after the drop.");
        return next!;
    }
}
