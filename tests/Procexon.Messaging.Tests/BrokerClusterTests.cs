using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Procexon.Messaging.Outbox;
using Procexon.Testing;

namespace Procexon.Messaging.Tests;

/// <summary>
/// The broker as three clustered RabbitMQ nodes (<see cref="RabbitMqCluster"/>, what <c>Broker:Nodes=3</c> runs) and
/// a service's messaging on it as the AppHost wires it: the connection string names the first node, and
/// <c>Messaging:Nodes</c> lists all three. Started once for the collection.
/// </summary>
public sealed class BrokerClusterFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public RabbitMqCluster Cluster { get; private set; } = null!;

    public IHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var cluster = RabbitMqCluster.StartAsync();
        Postgres = await postgres;
        Cluster = await cluster;

        Host = await NotesHost.StartAsync("cluster-tests", new Dictionary<string, string?>
        {
            ["ConnectionStrings:notesdb"] = Postgres.ConnectionString("notesdb"),
            ["ConnectionStrings:messaging"] = Cluster.Uri.ToString(),
            [MessagingExtensions.ClusterNodesSetting] = Cluster.NodeAddresses,
            ["Outbox:PublishTimeout"] = "00:00:03",
            ["Outbox:MaxBackoff"] = "00:00:01",
            // Three looks five seconds apart: a consumer lost at the kill is back well within the test's wait.
            ["Messaging:ConsumerWatchdog:Interval"] = "00:00:05",
        },
            bus => bus.AddConsumer<RecordNoteWritten>(),
            services: services => services.AddConnectionLog());
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.StopAsync();
            Host.Dispose();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }

    public async Task<T> InScopeAsync<T>(Func<NotesContext, IEventOutbox, Task<T>> work)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<NotesContext>(), scope.ServiceProvider.GetRequiredService<IEventOutbox>());
    }
}

[CollectionDefinition(Name)]
public sealed class BrokerClusterCollection : ICollectionFixture<BrokerClusterFixture>
{
    public const string Name = "Real PostgreSQL and a three-node RabbitMQ cluster";
}

/// <summary>
/// The broker as a cluster loses a node (issue 16): the node the service is connected to, which leads its quorum
/// queue, is killed with SIGKILL while a hundred events are in flight, and stays down. The service moves to another
/// node by itself, the queue elects a leader on the survivors, a change made during the outage is delivered, and every
/// event has its effect once. Started again, the node rejoins the queue.
/// </summary>
[Collection(BrokerClusterCollection.Name)]
public sealed class BrokerClusterTests(BrokerClusterFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Events = 100;
    private const string Queue = "cluster-tests-record-note-written";

    [Fact]
    public async Task Hundred_events_in_flight_survive_a_kill_9_of_the_node_that_leads_the_queue()
    {
        var cluster = fixture.Cluster;
        var (first, survivor) = (cluster.NodeNames[0], 1);

        // Replicated over the three nodes, and led by the first, where the service connected and declared it.
        var before = Assert.Single(await cluster.QuorumQueuesAsync(survivor), q => q.Name == Queue);
        Assert.Equal(cluster.NodeNames.Order(), before.Members.Order());
        Assert.Equal(first, before.Leader);
        output.WriteLine($"Before the kill: {await cluster.DescribeAsync(survivor)}");

        // A hundred notes committed with their events: twenty at once, and once ten have had their effect the node is
        // killed while the other eighty are written, so events are in flight at the kill however fast the machine is.
        var notes = Enumerable.Range(0, Events).Select(_ => Guid.NewGuid()).ToList();
        var firstWrites = Task.WhenAll(notes.Take(20).Select(id => WriteNoteAsync(id, "in flight")));
        Assert.True(await Eventually.EventuallyAsync(async () => await EffectsAsync(notes) >= 10, TimeSpan.FromMinutes(1)),
            "Not ten of the first twenty events had their effect within a minute, before any node was killed.");
        var kill = cluster.KillAsync(0);
        var laterWrites = Task.WhenAll(notes.Skip(20).Select(id => WriteNoteAsync(id, "in flight")));
        await kill;
        var killed = Stopwatch.StartNew();
        var effectsAtKill = await EffectsAsync(notes);
        await Task.WhenAll(firstWrites, laterWrites);

        // The service keeps working with the node gone: a change made now is committed and its event delivered.
        var duringOutage = Guid.NewGuid();
        await WriteNoteAsync(duringOutage, "written while the node was down");
        List<Guid> all = [.. notes, duringOutage];

        var delivered = await Eventually.EventuallyAsync(async () => await EffectsAsync(all) >= all.Count, TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(500));
        var allDelivered = killed.Elapsed;
        if (!delivered)
        {
            var queue = (await cluster.QuorumQueuesAsync(survivor)).Single(q => q.Name == Queue);
            var errors = await fixture.InScopeAsync(async (db, _) => string.Join("; ", (await db.Set<OutboxMessage>().Select(m => $"{m.Attempts}× {m.LastError}").ToListAsync())
                .GroupBy(e => e).Select(g => $"{g.Count()} rows: {g.Key}")));
            Assert.Fail($"Outbox: {errors}\n{await cluster.DescribeAsync(survivor)}\n" +
                $"{await EffectsAsync(all)} of {all.Count} events had their effect within 3 min of the kill ({effectsAtKill} when it was killed); " +
                $"{await fixture.InScopeAsync((db, _) => db.Set<OutboxMessage>().CountAsync())} still in the outbox; the queue's leader {queue.Leader}, online {string.Join(", ", queue.Online)}.\n" +
                $"The service's log:\n{fixture.Host.RecentConnectionLog(120)}\n" +
                string.Join('\n', Enumerable.Range(1, 2).Select(i => $"{cluster.NodeNames[i]} printed:\n{cluster.NodeLog(i, 30)}")));
        }

        Assert.True(effectsAtKill < Events, "Every event had its effect before the node was killed: the test proved nothing.");

        // Each once: the inbox dropped what the failover redelivered. Counted again after a pause, so a late duplicate shows.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var perNote = await fixture.InScopeAsync((db, _) => db.Effects.Where(e => all.Contains(e.NoteId)).GroupBy(e => e.NoteId)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        Assert.Equal(all.Count, perNote.Count);
        Assert.All(perNote, n => Assert.True(n.Count == 1, $"Note {n.Key} had its effect {n.Count} times."));
        Assert.Equal(0, await fixture.InScopeAsync((db, _) => db.Set<OutboxMessage>().CountAsync()));

        // Healthy by itself (its connections now on a surviving node) while the node is still down.
        var health = fixture.Host.Services.GetRequiredService<HealthCheckService>();
        HealthReport? report = null;
        var healthy = await Eventually.EventuallyAsync(async () => (report = await health.CheckHealthAsync()).Status == HealthStatus.Healthy,
            TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));
        Assert.True(healthy, "Not healthy a minute after the node was killed: " +
            string.Join("; ", report!.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key} {e.Value.Status} {e.Value.Description}")));
        var healthyAfter = killed.Elapsed;

        // The survivors lead the queue now; the dead node is still a member, offline.
        var afterKill = Assert.Single(await cluster.QuorumQueuesAsync(survivor), q => q.Name == Queue);
        Assert.NotEqual(first, afterKill.Leader);
        Assert.Equal(2, afterKill.Online.Count);
        Assert.DoesNotContain(first, afterKill.Online);

        // Started again on its folder, the node rejoins and its replica of the queue comes back online.
        await cluster.RestartAsync(0);
        Assert.True(await Eventually.EventuallyAsync(async () => (await cluster.QuorumQueuesAsync(survivor)).Single(q => q.Name == Queue).Online.Count == 3,
            TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(2)), $"{first} did not rejoin {Queue} within a minute of its restart.");

        var log = fixture.Host.Services.GetFakeLogCollector().GetSnapshot();
        output.WriteLine($"{first} killed leading {Queue} with {effectsAtKill}/{Events} effects applied; all {all.Count} (one written during the outage) " +
            $"applied once {allDelivered.TotalSeconds:F1} s after the kill; healthy {healthyAfter.TotalSeconds:F1} s after it, the node still down; " +
            $"the connection dropped {log.Count(r => r.Message.Contains("renewing the bus's connection", StringComparison.Ordinal))} times, " +
            $"the consumer restarted {log.Count(r => r.Message.Contains("Restarting the receive endpoint", StringComparison.Ordinal))} times.");
    }

    private Task<int> WriteNoteAsync(Guid id, string text) => fixture.InScopeAsync(async (db, outbox) =>
    {
        db.Notes.Add(new Note { Id = id, Text = text });
        outbox.Add(new NoteWritten(id, text));
        return await db.SaveChangesAsync();
    });

    private Task<int> EffectsAsync(IReadOnlyCollection<Guid> notes) =>
        fixture.InScopeAsync((db, _) => db.Effects.CountAsync(e => notes.Contains(e.NoteId)));
}
