using Microsoft.EntityFrameworkCore;
using Npgsql;
using Procexon.Messaging.Inbox;
using Procexon.Testing;

namespace Procexon.Messaging.Tests;

/// <summary>The inbox's claim statement on PostgreSQL, with rows of two tables to lock.</summary>
[Collection(MessagingCollection.Name)]
public sealed class InboxClaimTests(MessagingFixture fixture)
{
    [Fact]
    public async Task A_claim_locks_the_rows_of_each_table_one_table_after_the_other_before_it_inserts_its_inbox_rows()
    {
        var (noteId, effectId, messageId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (notes, effects) = await fixture.InScopeAsync(async (db, _) =>
        {
            db.Notes.Add(new Note { Id = noteId, Text = "locked" });
            db.Effects.Add(new NoteEffect { Id = effectId, NoteId = noteId });
            await db.SaveChangesAsync();
            return (db.Model.FindEntityType(typeof(Note))!.GetTableName()!, db.Model.FindEntityType(typeof(NoteEffect))!.GetTableName()!);
        });
        // Claims lock the tables in the order of their names, whatever order the consumer named them in.
        Assert.True(string.CompareOrdinal(effects, notes) < 0, "The test expects the effects' table to be locked first.");

        var connectionString = fixture.Postgres.ConnectionString("notesdb");
        await using var holder = await OpenAsync(connectionString);
        await using var holding = await holder.BeginTransactionAsync();
        await ExecuteAsync(holder, $"SELECT id FROM {notes} WHERE id = '{noteId}' FOR UPDATE");

        var claimed = new TaskCompletionSource<List<Guid>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claim = fixture.InScopeAsync((db, _) => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var statement = InboxClaim.Statement("InboxClaimTests", DateTimeOffset.UtcNow, [messageId],
                [new LockedRows(notes, [noteId]), new LockedRows(effects, [effectId])]);
            claimed.SetResult(await db.Database.SqlQuery<Guid>(statement).ToListAsync());
            await release.Task;
            await transaction.CommitAsync();
            return 0;
        }));

        Assert.True(await MessagingFixture.EventuallyAsync(
            async () => claim.IsCompleted || await fixture.InScopeAsync(async (db, _) => await InboxClaims.WaitingOnALockAsync(db) > 0),
            TimeSpan.FromSeconds(30)), "The claim never waited for the note the test holds.");
        Assert.False(claim.IsCompleted, $"The claim ended without waiting for the note the test holds: {claim.Exception}");
        await using var other = await OpenAsync(connectionString);
        // Waiting for the note, the claim already holds the effect (the table before), and has inserted nothing.
        Assert.Equal("55P03", await LockNowaitAsync(other, effects, effectId));
        Assert.Equal(0L, await ScalarAsync(other, $"SELECT count(*) FROM inbox_messages WHERE message_id = '{messageId}'"));

        await holding.RollbackAsync();
        Assert.Equal([messageId], await claimed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        // Claimed, it holds both rows until it commits.
        Assert.Equal("55P03", await LockNowaitAsync(other, notes, noteId));
        Assert.Equal("55P03", await LockNowaitAsync(other, effects, effectId));
        release.SetResult();
        await claim;
        Assert.Null(await LockNowaitAsync(other, notes, noteId));
    }

    /// <summary>
    /// A claim of one message that locks one row, as most claims are at a moderate rate, names its row by equality: a
    /// prepared statement with an array parameter (<c>id = ANY($1)</c>) is planned anew at every call, as PostgreSQL's
    /// generic plan assumes ten elements and costs more than the custom plan of one; with a key it is planned once per
    /// connection (docs/performance.md, twenty-third round). Read on the service's own connection, which prepares a
    /// statement at its second use.
    /// </summary>
    [Fact]
    public async Task A_claim_of_one_message_locking_one_row_is_planned_once_per_connection_not_at_every_call()
    {
        var (generic, custom) = await fixture.InScopeAsync(async (db, _) =>
        {
            // A table of the test's own, of a size at which the plans differ (a few rows cost the same either way).
            await db.Database.ExecuteSqlRawAsync("""
                DROP TABLE IF EXISTS claimed_accounts;
                CREATE TABLE claimed_accounts (id uuid PRIMARY KEY);
                INSERT INTO claimed_accounts SELECT gen_random_uuid() FROM generate_series(1, 5000);
                ANALYZE claimed_accounts;
                """);
            var accountId = await db.Database.SqlQueryRaw<Guid>("SELECT id AS \"Value\" FROM claimed_accounts LIMIT 1").SingleAsync();
            await db.Database.OpenConnectionAsync();
            for (var call = 0; call < 10; call++)
            {
                var statement = InboxClaim.Statement("InboxClaimTests.Plans", DateTimeOffset.UtcNow, [Guid.NewGuid()], [new LockedRows("claimed_accounts", [accountId])]);
                Assert.Single(await db.Database.SqlQuery<Guid>(statement).ToListAsync());
            }

            return await PreparedStatementPlans.OfAsync((NpgsqlConnection)db.Database.GetDbConnection(), "%FROM claimed_accounts%FOR UPDATE%inbox_messages%");
        });

        // PostgreSQL plans the first five calls with their values, then keeps the generic plan if it costs no more. With
        // the row named in an array: every call planned with its values, none generic (seen before the change).
        Assert.True(generic > 0, $"The claim was planned at every call ({generic} generic plans, {custom} custom).");
        Assert.True(custom <= 5, $"The claim was planned with its values {custom} times.");
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The SQLSTATE of taking the row's lock without waiting (55P03: another transaction holds it), or null when it was free.</summary>
    private static async Task<string?> LockNowaitAsync(NpgsqlConnection connection, string table, Guid id)
    {
        try
        {
            await ExecuteAsync(connection, $"SELECT id FROM {table} WHERE id = '{id}' FOR UPDATE NOWAIT");
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }
}
