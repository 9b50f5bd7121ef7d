using Microsoft.EntityFrameworkCore;
using Npgsql;
using Procexon.Messaging.Database;

namespace Procexon.Messaging.Tests;

/// <summary>
/// <see cref="KeyedRows.WhereKeyIn"/> on the service's own connection, which prepares a statement at its second use:
/// rows by one key are read with a statement PostgreSQL plans once, rows by several with one that finds each of them.
/// The notes table is given a few thousand rows first: on a handful of rows both forms plan alike.
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class KeyedRowsTests(MessagingFixture fixture)
{
    // The read's own comment (EF Core's tag), by which its prepared statement is told from the other reads of notes that
    // the pooled connection may have prepared for other tests.
    private const string PlannedReadTag = "KeyedRowsTests: by one key";

    [Fact]
    public async Task Rows_by_one_key_are_read_with_a_statement_planned_once_per_connection_not_at_every_call()
    {
        var noteId = Guid.NewGuid();
        var (generic, custom) = await fixture.InScopeAsync(async (db, _) =>
        {
            await EnoughNotesAsync(db);
            db.Notes.Add(new Note { Id = noteId, Text = "read again and again" });
            await db.SaveChangesAsync();
            await db.Database.OpenConnectionAsync();
            for (var call = 0; call < 10; call++)
            {
                var found = await db.Notes.AsNoTracking().WhereKeyIn(n => n.Id, [noteId]).TagWith(PlannedReadTag).ToListAsync();
                Assert.Equal(noteId, Assert.Single(found).Id);
            }

            return await PreparedStatementPlans.OfAsync((NpgsqlConnection)db.Database.GetDbConnection(), $"%{PlannedReadTag}%");
        });

        // With the key in an array (Contains): every call planned with its values, none generic (seen before KeyedRows).
        Assert.True(generic > 0, $"The read was planned at every call ({generic} generic plans, {custom} custom).");
        Assert.True(custom <= 5, $"The read was planned with its values {custom} times.");
    }

    [Fact]
    public async Task Rows_by_several_keys_are_exactly_the_rows_of_those_keys()
    {
        Guid[] wanted = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var found = await fixture.InScopeAsync(async (db, _) =>
        {
            await EnoughNotesAsync(db);
            db.Notes.AddRange(wanted.Select(id => new Note { Id = id, Text = "one of three" }));
            db.Notes.Add(new Note { Id = Guid.NewGuid(), Text = "not asked for" });
            await db.SaveChangesAsync();
            return await db.Notes.AsNoTracking().WhereKeyIn(n => n.Id, [.. wanted, Guid.NewGuid()]).Select(n => n.Id).ToListAsync();
        });

        Assert.Equal(wanted.Order(), found.Order());
    }

    private static async Task EnoughNotesAsync(NotesContext db)
    {
        if (await db.Notes.CountAsync() < 5000)
        {
            await db.Database.ExecuteSqlRawAsync("INSERT INTO notes (id, text) SELECT gen_random_uuid(), 'filler' FROM generate_series(1, 5000); ANALYZE notes;");
        }
    }
}
