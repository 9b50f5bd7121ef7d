using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Messaging.Housekeeping;
using Procexon.Messaging.Inbox;

namespace Procexon.Messaging.Tests;

[Collection(MessagingCollection.Name)]
public sealed class HousekeepingTests(MessagingFixture fixture)
{
    private MessagingHousekeeping<NotesContext> Housekeeping => fixture.Host.Services.GetRequiredService<MessagingHousekeeping<NotesContext>>();

    [Fact]
    public async Task Inbox_rows_past_the_redelivery_horizon_are_purged_and_recent_ones_kept()
    {
        var consumer = $"housekeeping-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        await fixture.InScopeAsync(async (db, _) =>
        {
            for (var i = 0; i < 5; i++)
            {
                db.Set<InboxMessage>().Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = consumer, ProcessedAt = now.AddDays(-8).AddMinutes(i) });
            }

            for (var i = 0; i < 3; i++)
            {
                db.Set<InboxMessage>().Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = consumer, ProcessedAt = now.AddDays(-6).AddMinutes(i) });
            }

            return await db.SaveChangesAsync();
        });

        var purged = await Housekeeping.PurgeInboxAsync(CancellationToken.None);

        // Other tests' rows are all recent, so only these five are past the horizon.
        Assert.Equal(5, purged);
        Assert.Equal(3, await fixture.InScopeAsync((db, _) => db.Set<InboxMessage>().CountAsync(m => m.Consumer == consumer)));
        Assert.Equal(0, await Housekeeping.PurgeInboxAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Outbox_backlog_and_table_sizes_are_meters_tagged_with_the_database()
    {
        var sample = await Housekeeping.SampleAsync(CancellationToken.None);
        Assert.Equal("notesdb", sample.Database);
        Assert.Contains(sample.Tables, t => t.Table == "inbox_messages" && t.Bytes > 0);
        Assert.Contains(sample.Tables, t => t.Table == "outbox_messages");

        var seen = new List<(string Instrument, object Value, string? Database, string? Table)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MessagingDiagnostics.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Seen<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? _)
        {
            var named = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                named[tag.Key] = tag.Value;
            }

            seen.Add((instrument.Name, value!, named.GetValueOrDefault("db.namespace") as string, named.GetValueOrDefault("db.collection.name") as string));
        }

        listener.SetMeasurementEventCallback<int>(Seen);
        listener.SetMeasurementEventCallback<long>(Seen);
        listener.SetMeasurementEventCallback<double>(Seen);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Contains(seen, m => m.Instrument == "procexon.outbox.backlog" && m.Database == "notesdb");
        Assert.Contains(seen, m => m.Instrument == "procexon.outbox.oldest_age" && m.Database == "notesdb");
        Assert.Contains(seen, m => m.Instrument == "procexon.database.table_size" && m.Database == "notesdb" && m.Table == "inbox_messages" && (long)m.Value > 0);
        Assert.Contains(seen, m => m.Instrument == "procexon.database.table_rows" && m.Database == "notesdb" && m.Table == "notes");
    }
}
