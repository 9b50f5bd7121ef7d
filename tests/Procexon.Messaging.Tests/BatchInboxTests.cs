using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Messaging.Inbox;

namespace Procexon.Messaging.Tests;

[Collection(MessagingCollection.Name)]
public sealed class BatchInboxTests(MessagingFixture fixture)
{
    private static readonly TimeSpan s_delivery = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Batch_consumer_applies_each_message_once_though_each_was_delivered_twice_and_commits_many_per_transaction()
    {
        var notes = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        var messageIds = notes.ToDictionary(n => n, _ => Guid.NewGuid());

        // Every message twice under the same id, all at once: duplicates land in the same batch or a later one.
        await Task.WhenAll(notes.SelectMany(note => new[] { PublishAsync(new NoteTagged(note, "x"), messageIds[note]), PublishAsync(new NoteTagged(note, "x"), messageIds[note]) }));

        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(notes) == notes.Count, s_delivery),
            $"Only {await fixture.EffectsOfAsync(notes)} of {notes.Count} tagged notes were recorded.");
        Assert.True(await MessagingFixture.EventuallyAsync(() => Task.FromResult(notes.All(n => fixture.Deliveries.DeliveriesOf(messageIds[n]) >= 2)), s_delivery),
            "Not every duplicate was delivered.");
        var effects = await fixture.InScopeAsync((db, _) => db.Effects.Where(e => notes.Contains(e.NoteId)).ToListAsync());
        Assert.All(effects.GroupBy(e => e.NoteId), note => Assert.Single(note));
        Assert.Contains(effects, e => e.BatchSize > 1);
    }

    [Fact]
    public async Task The_step_after_the_commit_sees_the_batch_committed_and_runs_again_for_a_redelivered_message()
    {
        var note = Guid.NewGuid();
        var messageId = Guid.NewGuid();

        await PublishAsync(new NoteTagged(note, NoteTagged.Watched), messageId);
        Assert.True(await MessagingFixture.EventuallyAsync(() => Task.FromResult(fixture.AfterCommit.SeenFor(messageId).Count == 1), s_delivery),
            "The step after the commit did not run for the message.");
        // The same message again, as the broker redelivers it after a crash between the commit and that step.
        await PublishAsync(new NoteTagged(note, NoteTagged.Watched), messageId);

        Assert.True(await MessagingFixture.EventuallyAsync(() => Task.FromResult(fixture.AfterCommit.SeenFor(messageId).Count == 2), s_delivery),
            "The step after the commit did not run for the duplicate.");
        // Both times the note's one effect was already visible to another connection: the step ran after the commit.
        Assert.Equal([1, 1], fixture.AfterCommit.SeenFor(messageId));
        Assert.Equal(1, await fixture.EffectsOfAsync([note]));
    }

    [Fact]
    public async Task Each_message_of_a_batch_is_handled_in_the_trace_that_sent_it()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("Procexon.Messaging.Tests");
        var traces = new Dictionary<Guid, string>();
        var sends = new List<Task>();
        for (var i = 0; i < 30; i++)
        {
            var note = Guid.NewGuid();
            using var request = source.StartActivity($"tag note {i}");
            Assert.NotNull(request);
            traces[note] = request.TraceId.ToString();
            sends.Add(PublishAsync(new NoteTagged(note, "traced"), Guid.NewGuid()));
        }

        await Task.WhenAll(sends);

        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(traces.Keys) == traces.Count, s_delivery));
        var effects = await fixture.InScopeAsync((db, _) => db.Effects.Where(e => traces.Keys.Contains(e.NoteId)).ToListAsync());
        Assert.All(effects, e => Assert.Equal(traces[e.NoteId], e.TraceId));
        Assert.Equal(30, effects.Select(e => e.TraceId).Distinct().Count());
    }

    [Fact]
    public async Task A_message_that_always_fails_does_not_keep_the_rest_of_its_batch_from_committing()
    {
        var notes = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
        var poisoned = Guid.NewGuid();

        // The poison one lands in a batch with others; that batch rolls back whole, then each of its messages is tried
        // again in a transaction of its own, and only the poison one keeps failing (MassTransit's retries, then the error queue).
        await Task.WhenAll(notes.Take(20).Select(n => PublishAsync(new NoteTagged(n, "ok"), Guid.NewGuid()))
            .Append(PublishAsync(new NoteTagged(poisoned, NoteTagged.Poison), Guid.NewGuid()))
            .Concat(notes.Skip(20).Select(n => PublishAsync(new NoteTagged(n, "ok"), Guid.NewGuid()))));

        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(notes) == notes.Count, s_delivery),
            $"Only {await fixture.EffectsOfAsync(notes)} of {notes.Count} good messages were committed.");
        Assert.Equal(0, await fixture.EffectsOfAsync([poisoned]));
        var effects = await fixture.InScopeAsync((db, _) => db.Effects.Where(e => notes.Contains(e.NoteId)).ToListAsync());
        Assert.All(effects.GroupBy(e => e.NoteId), note => Assert.Single(note));
    }

    [Fact]
    public async Task A_message_that_finds_no_transaction_running_commits_at_once_and_those_that_arrive_while_one_runs_commit_together()
    {
        var first = Guid.NewGuid();
        var waiting = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();

        // A message that came alone takes the consumer's transaction at once, and holds it open.
        await PublishAsync(new NotePinned(first, Hold: true));
        await fixture.Pins.HoldingAsync(first).WaitAsync(s_delivery);

        // Ten more arrive while it runs: they wait in their deliveries, and nothing of them is committed.
        await Task.WhenAll(waiting.Select(note => PublishAsync(new NotePinned(note, Hold: false))));
        // The operators' gauge counts them.
        Assert.True(await MessagingFixture.EventuallyAsync(() => Task.FromResult(WaitingForCommit(nameof(RecordNotesPinned)) == waiting.Count), s_delivery),
            $"{WaitingForCommit(nameof(RecordNotesPinned))} of {waiting.Count} messages wait for a transaction.");
        Assert.Equal(0, await fixture.EffectsOfAsync(waiting));

        // The first commits; the next transaction takes every waiting message at once.
        fixture.Pins.Release(first);
        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(waiting) == waiting.Count, s_delivery),
            $"Only {await fixture.EffectsOfAsync(waiting)} of {waiting.Count} waiting messages were committed.");

        var effects = await fixture.InScopeAsync((db, _) => db.Effects.Where(e => waiting.Contains(e.NoteId) || e.NoteId == first).ToListAsync());
        var alone = Assert.Single(effects, e => e.NoteId == first);
        Assert.Equal(1, alone.BatchSize);
        var together = effects.Where(e => waiting.Contains(e.NoteId)).ToList();
        Assert.Single(together.Select(e => e.BatchId).Distinct());
        Assert.All(together, e => Assert.Equal(waiting.Count, e.BatchSize));
        Assert.NotEqual(alone.BatchId, together[0].BatchId);
    }

    [Fact]
    public async Task A_consumer_that_gathers_commits_messages_arriving_one_by_one_together_and_a_lone_one_once_it_has_waited()
    {
        var notes = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToList();

        // One at a time, each after the one before was routed: without gathering each would find no transaction
        // running and commit alone.
        foreach (var note in notes)
        {
            await PublishAsync(new NoteArchived(note));
            await Task.Delay(50);
        }

        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(notes) == notes.Count, s_delivery),
            $"Only {await fixture.EffectsOfAsync(notes)} of {notes.Count} archived notes were committed.");
        var effects = await fixture.InScopeAsync((db, _) => db.Effects.Where(e => notes.Contains(e.NoteId)).ToListAsync());
        // Sent within well under the consumer's gathering time, they share one transaction, two if a slow machine
        // spread the sends past it; never one each.
        var batches = effects.GroupBy(e => e.BatchId).ToList();
        Assert.InRange(batches.Count, 1, 2);
        Assert.All(batches, batch => Assert.All(batch, e => Assert.Equal(batch.Count(), e.BatchSize)));

        // A lone message is not left waiting for company: it commits once it has gathered for nothing.
        var lone = Guid.NewGuid();
        await PublishAsync(new NoteArchived(lone));
        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync([lone]) == 1, s_delivery),
            "A lone archived note was never committed.");
        var alone = await fixture.InScopeAsync((db, _) => db.Effects.SingleAsync(e => e.NoteId == lone));
        Assert.Equal(1, alone.BatchSize);
    }

    /// <summary>What the gauge <c>procexon.inbox.waiting_for_commit</c> reads for a consumer now.</summary>
    private static int WaitingForCommit(string consumer)
    {
        var waiting = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meters) =>
            {
                if (instrument.Name == "procexon.inbox.waiting_for_commit")
                {
                    meters.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "messaging.consumer.name" && Equals(tag.Value, consumer))
                {
                    waiting += value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return waiting;
    }

    private Task PublishAsync(NoteTagged message, Guid messageId) =>
        fixture.Host.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId);

    private Task PublishAsync<TMessage>(TMessage message)
        where TMessage : class =>
        fixture.Host.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = Guid.NewGuid());
}

[Collection(MessagingCollection.Name)]
public sealed class BatchBrokerKillTests(MessagingFixture fixture)
{
    [Fact]
    public async Task Batches_in_flight_when_the_broker_is_killed_are_all_applied_once_after_it_returns()
    {
        var notes = Enumerable.Range(0, 400).Select(_ => Guid.NewGuid()).ToList();

        // Events written through the outbox in a steady stream; the broker dies while batches are being collected,
        // handled and acknowledged, and comes back while the stream goes on.
        var writing = Task.Run(async () =>
        {
            foreach (var note in notes)
            {
                await fixture.InScopeAsync(async (db, outbox) =>
                {
                    outbox.Add(new NoteTagged(note, "stream"));
                    return await db.SaveChangesAsync();
                });
                await Task.Delay(5);
            }
        });
        while (await fixture.EffectsOfAsync(notes) < 50)
        {
            await Task.Delay(20);
        }

        await fixture.Broker.KillAsync();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            await fixture.Broker.RestartAsync();
        }

        await writing;
        if (!await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(notes) == notes.Count, TimeSpan.FromSeconds(90)))
        {
            Assert.Fail($"Only {await fixture.EffectsOfAsync(notes)} of {notes.Count} events reached the batch consumer within 90 s of the broker's return; " +
                $"{await fixture.OutboxRowsAsync()} rows in the outbox.\nThe service's log:\n{fixture.Host.RecentConnectionLog(150)}");
        }
        var effects = await fixture.InScopeAsync((db, _) => db.Effects.Where(e => notes.Contains(e.NoteId)).ToListAsync());
        Assert.All(effects.GroupBy(e => e.NoteId), note => Assert.Single(note));
    }
}
