using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Procexon.Messaging.ErrorQueues;
using Procexon.Messaging.Outbox;
using Procexon.Testing;
using IHost = Microsoft.Extensions.Hosting.IHost;

namespace Procexon.Messaging.Tests;

/// <summary>
/// A receive endpoint that stops consuming while the process runs on, as one did after a cluster node's death, is
/// restarted once the broker has shown its queue waiting with no consumer at several looks in a row. Here the endpoint
/// is stopped under the running service; on the real broker, with the looks a second apart.
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class ConsumerWatchdogTests(MessagingFixture fixture)
{
    private const string Queue = "watchdog-tests-record-note-written";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_queue_left_without_its_consumer_gets_it_back_and_every_waiting_event_has_its_effect_once()
    {
        using var host = await fixture.StartOwnServiceAsync("watchdog-tests", bus => bus.AddConsumer<RecordNoteWritten>(), new Dictionary<string, string?>
        {
            ["Messaging:ConsumerWatchdog:Interval"] = "00:00:01",
            ["Messaging:ConsumerWatchdog:Looks"] = "2",
        }, services => services.AddLogging(logging => logging.AddFakeLogging()));

        var before = Guid.NewGuid();
        await WriteNoteAsync(host, before);
        Assert.True(await Eventually.EventuallyAsync(async () => await EffectsAsync(host, [before]) == 1, s_timeout), "The consumer never worked.");

        // The consumer goes, the process does not: nothing MassTransit would restart by itself.
        var endpoint = Assert.Single(host.Services.GetRequiredService<ConsumedQueues>().Endpoints, e => e.Key == Queue).Value;
        await endpoint.Stop(CancellationToken.None);
        List<Guid> waiting = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        foreach (var note in waiting)
        {
            await WriteNoteAsync(host, note);
        }

        Assert.True(await Eventually.EventuallyAsync(async () => await EffectsAsync(host, waiting) == waiting.Count, s_timeout),
            "The events written while the queue had no consumer never had their effect.");
        var log = host.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(log, r => r.Level == LogLevel.Error && r.Message.Contains($"Restarting the receive endpoint of {Queue}", StringComparison.Ordinal));
        Assert.Contains(log, r => r.Message.Contains($"The receive endpoint of {Queue} consumes again", StringComparison.Ordinal));

        // Each once, the first one's too.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(waiting.Count + 1, await EffectsAsync(host, [before, .. waiting]));
        await host.StopAsync();
    }

    private static async Task WriteNoteAsync(IHost host, Guid id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotesContext>();
        db.Notes.Add(new Note { Id = id, Text = "written for the watchdog" });
        scope.ServiceProvider.GetRequiredService<IEventOutbox>().Add(new NoteWritten(id, "written for the watchdog"));
        await db.SaveChangesAsync();
    }

    private static async Task<int> EffectsAsync(IHost host, IReadOnlyCollection<Guid> notes)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotesContext>().Effects.CountAsync(e => notes.Contains(e.NoteId));
    }
}
