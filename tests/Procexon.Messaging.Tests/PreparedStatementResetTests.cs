using Microsoft.EntityFrameworkCore;
using Npgsql;
using Procexon.Messaging.Database;

namespace Procexon.Messaging.Tests;

/// <summary>
/// Npgsql's automatic preparation and a command that fails in the execution that prepares it (npgsql/npgsql#6391): on a
/// pool of one connection, an INSERT … RETURNING refused by the server inside a transaction, rolled back, then the same
/// statement again. Without <see cref="PreparedStatementReset"/> the second one fails with Npgsql's "unexpected backend
/// message"; with it, it succeeds. The first test stops passing when Npgsql mends the bug, which is when the reset can go.
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class PreparedStatementResetTests(MessagingFixture fixture)
{
    private const string Insert = "INSERT INTO prepared_statement_reset (value) VALUES ({0}) RETURNING id";

    [Fact]
    public async Task Without_the_reset_the_statement_a_failure_prepared_is_left_corrupt_on_its_connection()
    {
        var options = await OptionsAsync("without_reset");

        await FailInATransactionAsync(options);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => InsertAsync(options, "fine"));

        Assert.Contains("unexpected backend message", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_the_reset_the_connection_forgets_its_prepared_statements_and_the_next_insert_succeeds()
    {
        var options = await OptionsAsync("with_reset", new PreparedStatementReset());

        await FailInATransactionAsync(options);
        await InsertAsync(options, "fine");
        await InsertAsync(options, "fine again");

        await using var db = new DbContext(options);
        Assert.Equal(2, await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM prepared_statement_reset").SingleAsync());
    }

    /// <summary>A database of the test's own with a pool of one connection that prepares every statement at its first use.</summary>
    private async Task<DbContextOptions> OptionsAsync(string name, PreparedStatementReset? reset = null)
    {
        var database = $"prepared_{name}";
        await using (var admin = new NpgsqlConnection(fixture.Postgres.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE); CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(fixture.Postgres.ConnectionString(database))
        {
            MaxPoolSize = 1,
            MaxAutoPrepare = 10,
            AutoPrepareMinUsages = 1,
        }.ConnectionString;
        var builder = new DbContextOptionsBuilder().UseNpgsql(connectionString);
        if (reset is not null)
        {
            builder.AddInterceptors(reset);
        }

        await using var db = new DbContext(builder.Options);
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE prepared_statement_reset (id serial PRIMARY KEY, value varchar(10) NOT NULL)");
        return builder.Options;
    }

    private static async Task FailInATransactionAsync(DbContextOptions options)
    {
        await using var db = new DbContext(options);
        await using var transaction = await db.Database.BeginTransactionAsync();
        await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(Insert, "far too long for ten characters"));
        await transaction.RollbackAsync();
    }

    private static async Task InsertAsync(DbContextOptions options, string value)
    {
        await using var db = new DbContext(options);
        await db.Database.ExecuteSqlRawAsync(Insert, value);
    }
}
