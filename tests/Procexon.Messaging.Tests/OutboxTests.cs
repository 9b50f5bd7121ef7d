using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Messaging.Outbox;

namespace Procexon.Messaging.Tests;

[Collection(MessagingCollection.Name)]
public sealed class OutboxTests(MessagingFixture fixture)
{
    private static readonly TimeSpan s_delivery = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Committed_event_is_published_right_after_the_commit_without_waiting_for_the_poll()
    {
        var noteId = await WriteNoteAsync("hello");

        // The fallback poll is a minute: only the commit signal can make this quick.
        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(noteId) == 1, TimeSpan.FromSeconds(5)),
            "The event of a committed note was not consumed within 5 s.");
        // The row goes once the broker's confirm is recorded, which may be a moment after the consumer saw the event.
        Assert.True(await MessagingFixture.EventuallyAsync(async () => (await OutboxRowsOfAsync(noteId)).Count == 0, s_delivery));
    }

    [Fact]
    public async Task Event_of_a_rolled_back_transaction_is_never_published()
    {
        var rolledBack = Guid.NewGuid();
        await fixture.InScopeAsync((db, outbox) => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Notes.Add(new Note { Id = rolledBack, Text = "never" });
            outbox.Add(new NoteWritten(rolledBack, "never"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
            return 0;
        }));
        // A later committed event overtakes nothing: once it is consumed, the rolled-back one would have been too.
        var committed = await WriteNoteAsync("after the rollback");

        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(committed) == 1, s_delivery));
        Assert.Equal(0, await fixture.EffectsOfAsync(rolledBack));
        Assert.Empty(await OutboxRowsOfAsync(rolledBack));
        Assert.False(await fixture.InScopeAsync((db, _) => db.Notes.AnyAsync(n => n.Id == rolledBack)));
    }

    [Fact]
    public async Task Event_of_a_transaction_abandoned_without_a_rollback_never_goes_out_with_the_next_commit_of_its_context()
    {
        // A handler that throws leaves its transaction disposed, neither committed nor rolled back; the same context's
        // next transaction (the execution strategy's retry, the next batch) commits rows of its own.
        var abandoned = Guid.NewGuid();
        var committed = Guid.NewGuid();
        await fixture.InScopeAsync((db, outbox) => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using (await db.Database.BeginTransactionAsync())
            {
                db.Notes.Add(new Note { Id = abandoned, Text = "abandoned" });
                outbox.Add(new NoteWritten(abandoned, "abandoned"));
                await db.SaveChangesAsync();
            }

            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Notes.Add(new Note { Id = committed, Text = "committed" });
            outbox.Add(new NoteWritten(committed, "committed"));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return 0;
        }));

        // Both would have been handed over together, published in one batch and consumed side by side: the abandoned
        // one is watched for a while after the committed one is consumed (it came within milliseconds when it went out).
        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(committed) == 1, s_delivery));
        Assert.True(await MessagingFixture.EventuallyAsync(async () => (await OutboxRowsOfAsync(committed)).Count == 0, s_delivery));
        Assert.False(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(abandoned) > 0, TimeSpan.FromSeconds(3)),
            "The event of the abandoned transaction was published.");
        Assert.False(await fixture.InScopeAsync((db, _) => db.Notes.AnyAsync(n => n.Id == abandoned)));
    }

    [Fact]
    public async Task Committed_events_are_published_from_memory_and_their_rows_deleted_many_at_a_time_without_a_claim()
    {
        var statements = new OutboxStatementCounter();
        // The sweep looks at start and then after a minute: within the test, no claim of its can run.
        using var host = await fixture.StartOwnServiceAsync("notes-published", bus => bus.AddConsumer<RecordNoteWritten>(), new Dictionary<string, string?>
        {
            ["Outbox:FallbackInterval"] = "00:01:00",
            ["Outbox:DeleteDelay"] = "00:00:03",
        }, database: options => options.AddInterceptors(statements));
        try
        {
            List<Guid> notes = [.. Enumerable.Range(0, 20).Select(_ => Guid.NewGuid())];
            await Task.WhenAll(notes.Select(note => host.WriteNoteAsync(note, "published from memory")));

            Assert.True(await MessagingFixture.EventuallyAsync(async () => await host.EffectsOfAsync(notes) == notes.Count, s_delivery),
                "The twenty committed events were not consumed.");
            Assert.True(await MessagingFixture.EventuallyAsync(async () => await host.OutboxRowsAsync() == 0, s_delivery),
                "The published rows were not deleted.");
            // Twenty commits: no claim-and-delete transaction per commit (the sweep's), and fewer deletes than commits.
            Assert.Equal(0, statements.Claims);
            Assert.InRange(statements.Deletes, 1, notes.Count / 2);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Row_committed_out_of_the_dispatchers_sight_is_published_by_the_sweep_once_it_has_waited_its_interval()
    {
        // As a replica that died between its commit and its publish leaves it: in the table, handed to no publisher here.
        using var host = await fixture.StartOwnServiceAsync("notes-swept", bus => bus.AddConsumer<RecordNoteWritten>(), new Dictionary<string, string?>
        {
            ["Outbox:FallbackInterval"] = "00:00:01",
        });
        try
        {
            var note = Guid.NewGuid();
            var type = OutboxMessageTypes.NameOf(typeof(NoteWritten));
            var payload = System.Text.Json.JsonSerializer.Serialize(new NoteWritten(note, "left behind"), OutboxMessageTypes.Json);
            await using (var scope = host.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<NotesContext>().Database.ExecuteSqlAsync($"""
                    INSERT INTO outbox_messages (id, message_type, payload, occurred_at, attempts)
                    VALUES ({Guid.CreateVersion7()}, {type}, {payload}::jsonb, now(), 0)
                    """);
            }

            Assert.True(await MessagingFixture.EventuallyAsync(async () => await host.EffectsOfAsync([note]) == 1, s_delivery),
                "The row left in the outbox was not published by the sweep.");
            Assert.True(await MessagingFixture.EventuallyAsync(async () => await host.OutboxRowsAsync() == 0, s_delivery));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Event_committed_while_the_broker_is_down_is_published_once_the_broker_is_back()
    {
        await fixture.Broker.KillAsync();
        Guid noteId;
        try
        {
            noteId = await WriteNoteAsync("written while the broker was down");

            // The change is committed; its event waits in the outbox while publishes fail, each failure noted on its row.
            Assert.True(await MessagingFixture.EventuallyAsync(async () => (await OutboxRowsOfAsync(noteId)) is [{ Attempts: > 0, LastError: not null }], s_delivery),
                "A publish that failed is not recorded on its outbox row.");
            Assert.Single(await OutboxRowsOfAsync(noteId));
            Assert.Equal(0, await fixture.EffectsOfAsync(noteId));
            Assert.True(await fixture.InScopeAsync((db, _) => db.Notes.AnyAsync(n => n.Id == noteId)));
        }
        finally
        {
            await fixture.Broker.RestartAsync();
        }

        if (!await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(noteId) == 1, TimeSpan.FromSeconds(90)))
        {
            var rows = await OutboxRowsOfAsync(noteId);
            Assert.Fail("The event committed while the broker was down was not delivered within 90 s of its return. " +
                $"Its outbox row: {(rows is [var row] ? $"{row.Attempts} attempts, the last error: {row.LastError ?? "none"}" : "gone, so published")}.\nThe service's log:\n{fixture.Host.RecentConnectionLog(150)}");
        }
        Assert.True(await MessagingFixture.EventuallyAsync(async () => (await OutboxRowsOfAsync(noteId)).Count == 0, s_delivery));
    }

    [Fact]
    public async Task Consumers_and_the_dispatcher_commit_without_savepoints()
    {
        // The control: EF Core's default, one savepoint around a SaveChanges inside a transaction, is what is counted.
        var before = fixture.Savepoints.Created;
        await fixture.InScopeAsync((db, _) => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Notes.Add(new Note { Id = Guid.NewGuid(), Text = "control" });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return 0;
        }));
        Assert.Equal(before + 1, fixture.Savepoints.Created);

        // An event through the dispatcher to the single consumer, and tags to the batch consumer.
        var noteId = await WriteNoteAsync("no savepoints");
        var bus = fixture.Host.Services.GetRequiredService<IBus>();
        var tagged = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(tagged.Select(n => bus.Publish(new NoteTagged(n, "x"))));

        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(noteId) == 1, s_delivery));
        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(tagged) == tagged.Count, s_delivery));
        Assert.True(await MessagingFixture.EventuallyAsync(async () => (await OutboxRowsOfAsync(noteId)).Count == 0, s_delivery));
        Assert.Equal(before + 1, fixture.Savepoints.Created);
    }

    private async Task<Guid> WriteNoteAsync(string text)
    {
        var noteId = Guid.NewGuid();
        await fixture.Host.WriteNoteAsync(noteId, text);
        return noteId;
    }

    /// <summary>The outbox rows of a note's event, read by the event's payload: what a test asserts and a failure prints.</summary>
    private Task<List<OutboxMessage>> OutboxRowsOfAsync(Guid noteId) => fixture.InScopeAsync((db, _) =>
        db.Set<OutboxMessage>()
            .FromSql($"SELECT * FROM outbox_messages WHERE payload->>'noteId' = {noteId.ToString()}")
            .AsNoTracking()
            .ToListAsync());
}

[Collection(MessagingCollection.Name)]
public sealed class InboxTests(MessagingFixture fixture)
{
    [Fact]
    public async Task Message_delivered_twice_has_its_effect_once()
    {
        var messageId = Guid.NewGuid();
        var noteId = Guid.NewGuid();
        var bus = fixture.Host.Services.GetRequiredService<IBus>();

        await bus.Publish(new NoteWritten(noteId, "twice"), context => context.MessageId = messageId);
        Assert.True(await MessagingFixture.EventuallyAsync(() => Task.FromResult(fixture.Deliveries.DeliveriesOf(messageId) == 1), TimeSpan.FromSeconds(20)));
        await bus.Publish(new NoteWritten(noteId, "twice"), context => context.MessageId = messageId);

        Assert.True(await MessagingFixture.EventuallyAsync(() => Task.FromResult(fixture.Deliveries.DeliveriesOf(messageId) == 2), TimeSpan.FromSeconds(20)),
            "The second delivery never reached the consumer.");
        await Task.Delay(500); // let the second delivery's transaction finish
        Assert.Equal(1, await fixture.EffectsOfAsync(noteId));
    }

    [Fact]
    public async Task Copies_of_a_message_delivered_at_the_same_time_have_one_effect()
    {
        var messageId = Guid.NewGuid();
        var noteId = Guid.NewGuid();
        var bus = fixture.Host.Services.GetRequiredService<IBus>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            bus.Publish(new NoteWritten(noteId, "eight copies"), context => context.MessageId = messageId)));

        Assert.True(await MessagingFixture.EventuallyAsync(() => Task.FromResult(fixture.Deliveries.DeliveriesOf(messageId) == 8), TimeSpan.FromSeconds(20)),
            $"Only {fixture.Deliveries.DeliveriesOf(messageId)} of 8 copies reached the consumer.");
        await Task.Delay(500);
        Assert.Equal(1, await fixture.EffectsOfAsync(noteId));
    }
}
