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
        Assert.True(await MessagingFixture.EventuallyAsync(async () => await OutboxRowsOfAsync(noteId) == 0, s_delivery));
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
        Assert.Equal(0, await OutboxRowsOfAsync(rolledBack));
        Assert.False(await fixture.InScopeAsync((db, _) => db.Notes.AnyAsync(n => n.Id == rolledBack)));
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
            Assert.True(await MessagingFixture.EventuallyAsync(async () => await AttemptsOfAsync(noteId) > 0, s_delivery),
                "A publish that failed is not recorded on its outbox row.");
            Assert.Equal(1, await OutboxRowsOfAsync(noteId));
            Assert.Equal(0, await fixture.EffectsOfAsync(noteId));
            Assert.True(await fixture.InScopeAsync((db, _) => db.Notes.AnyAsync(n => n.Id == noteId)));
        }
        finally
        {
            await fixture.Broker.RestartAsync();
        }

        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(noteId) == 1, TimeSpan.FromSeconds(90)),
            "The event committed while the broker was down was not delivered within 90 s of its return.");
        Assert.True(await MessagingFixture.EventuallyAsync(async () => await OutboxRowsOfAsync(noteId) == 0, s_delivery));
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
        Assert.True(await MessagingFixture.EventuallyAsync(async () => await OutboxRowsOfAsync(noteId) == 0, s_delivery));
        Assert.Equal(before + 1, fixture.Savepoints.Created);
    }

    private async Task<Guid> WriteNoteAsync(string text)
    {
        var noteId = Guid.NewGuid();
        await fixture.InScopeAsync(async (db, outbox) =>
        {
            db.Notes.Add(new Note { Id = noteId, Text = text });
            outbox.Add(new NoteWritten(noteId, text));
            return await db.SaveChangesAsync();
        });
        return noteId;
    }

    private Task<int> AttemptsOfAsync(Guid noteId) => fixture.InScopeAsync((db, _) =>
        db.Database.SqlQuery<int>(
            $"SELECT coalesce(max(attempts), 0)::int AS \"Value\" FROM outbox_messages WHERE payload->>'noteId' = {noteId.ToString()} AND last_error IS NOT NULL")
            .SingleAsync());

    private Task<int> OutboxRowsOfAsync(Guid noteId) => fixture.InScopeAsync((db, _) =>
        db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE payload->>'noteId' = {noteId.ToString()}")
            .SingleAsync());
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
