using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Procexon.Messaging.Outbox;
using Procexon.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using IHost = Microsoft.Extensions.Hosting.IHost;

namespace Procexon.Messaging.Tests;

/// <summary>
/// A receive endpoint that stops consuming while the process runs on, as one did after a cluster node's death, is
/// restarted once its queue has had messages waiting at several looks in a row and the endpoint was handed none. Here
/// the endpoint is stopped under the running service, on the real broker, with the looks a second apart; in the second
/// test a consumer the broker counts stays on the queue, as it can after a node's death, and must not hide the stall.
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class ConsumerWatchdogTests(MessagingFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_queue_left_without_its_consumer_gets_it_back_and_every_waiting_event_has_its_effect_once()
    {
        const string service = "watchdog-tests";
        using var host = await StartAsync(service);
        var before = await ConsumingAsync(host);

        // The consumer goes, the process does not: nothing MassTransit would restart by itself.
        var queue = QueueOf(host, service);
        await queue.Endpoint.Stop(CancellationToken.None);
        var handedBefore = queue.Deliveries;
        var waiting = await WriteNotesAsync(host, 3);

        Assert.True(await Eventually.EventuallyAsync(async () => await host.EffectsOfAsync(waiting) == waiting.Count, s_timeout),
            "The events written while the queue had no consumer never had their effect.");
        AssertRestarted(host, service);
        // The restarted endpoint is still counted, or the watchdog would take every busy queue for a stalled one.
        Assert.True(queue.Deliveries >= handedBefore + waiting.Count, $"{queue.Deliveries - handedBefore} deliveries counted after the restart.");

        // Each once, the first one's too.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(waiting.Count + 1, await host.EffectsOfAsync([before, .. waiting]));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_consumer_the_broker_still_counts_does_not_hide_an_endpoint_that_receives_nothing()
    {
        const string service = "watchdog-held-tests";
        using var host = await StartAsync(service);
        var before = await ConsumingAsync(host);
        await QueueOf(host, service).Endpoint.Stop(CancellationToken.None);

        // A consumer of the test's own takes one message and sits on it: the broker counts a consumer, as it did for
        // the one lost with a cluster node, while the process's endpoint is handed nothing.
        var factory = new ConnectionFactory { Uri = fixture.Broker.Uri };
        await using var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, 1, false);
        await channel.BasicConsumeAsync(QueueOf(service), autoAck: false, new AsyncEventingBasicConsumer(channel));
        var waiting = await WriteNotesAsync(host, 3);
        Assert.True(await Eventually.EventuallyAsync(async () =>
        {
            var queue = await channel.QueueDeclarePassiveAsync(QueueOf(service));
            return queue.ConsumerCount == 1 && queue.MessageCount == 2;
        }, s_timeout), "The test's consumer never held one of the three messages.");

        Assert.True(await Eventually.EventuallyAsync(async () => await host.EffectsOfAsync(waiting) == 2, s_timeout),
            "The two events the test's consumer did not hold never had their effect.");
        AssertRestarted(host, service);

        // The held message goes back to the queue with the test's channel, and the restarted endpoint applies it.
        await channel.CloseAsync();
        Assert.True(await Eventually.EventuallyAsync(async () => await host.EffectsOfAsync(waiting) == waiting.Count, s_timeout),
            "The event the test's consumer held never had its effect.");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(waiting.Count + 1, await host.EffectsOfAsync([before, .. waiting]));
        await host.StopAsync();
    }

    private Task<IHost> StartAsync(string service) =>
        fixture.StartOwnServiceAsync(service, bus => bus.AddConsumer<RecordNoteWritten>(), new Dictionary<string, string?>
        {
            ["Messaging:ConsumerWatchdog:Interval"] = "00:00:01",
            ["Messaging:ConsumerWatchdog:Looks"] = "2",
        }, services => services.AddLogging(logging => logging.AddFakeLogging()));

    private static string QueueOf(string service) => $"{service}-record-note-written";

    private static ConsumedQueue QueueOf(IHost host, string service) =>
        Assert.Single(host.Services.GetRequiredService<ConsumedQueues>().Queues, q => q.Name == QueueOf(service));

    /// <summary>Writes a note and waits for its effect: the endpoint consumes.</summary>
    private static async Task<Guid> ConsumingAsync(IHost host)
    {
        var note = Guid.NewGuid();
        await host.WriteNoteAsync(note, "written for the watchdog");
        Assert.True(await Eventually.EventuallyAsync(async () => await host.EffectsOfAsync([note]) == 1, s_timeout), "The consumer never worked.");
        return note;
    }

    private static async Task<List<Guid>> WriteNotesAsync(IHost host, int count)
    {
        List<Guid> notes = [.. Enumerable.Range(0, count).Select(_ => Guid.NewGuid())];
        foreach (var note in notes)
        {
            await host.WriteNoteAsync(note, "written for the watchdog");
        }

        return notes;
    }

    private static void AssertRestarted(IHost host, string service)
    {
        var log = host.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(log, r => r.Level == LogLevel.Error && r.Message.Contains($"Restarting the receive endpoint of {QueueOf(service)}", StringComparison.Ordinal));
        Assert.Contains(log, r => r.Message.Contains($"The receive endpoint of {QueueOf(service)} consumes again", StringComparison.Ordinal));
    }
}
