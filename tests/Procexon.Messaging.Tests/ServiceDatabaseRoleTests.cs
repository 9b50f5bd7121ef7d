using Npgsql;
using Procexon.AppHost.Infrastructure;

namespace Procexon.Messaging.Tests;

/// <summary>
/// The roles the AppHost gives a service's database, on a database an earlier run created as the superuser (as every
/// local data folder made before the roles existed was): the owner takes it over, the runtime role gets rows only.
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class ServiceDatabaseRoleTests(MessagingFixture fixture)
{
    [Fact]
    public async Task A_database_the_superuser_made_is_handed_to_its_owner_and_its_runtime_role_gets_rows_only()
    {
        const string database = "legacydb";
        await using (var server = new NpgsqlConnection(fixture.Postgres.ConnectionString("postgres")))
        {
            await server.OpenAsync();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            await ExecuteAsync(server, $"CREATE DATABASE {database}");
        }

        await using (var superuser = new NpgsqlConnection(fixture.Postgres.ConnectionString(database)))
        {
            await superuser.OpenAsync();
            await ExecuteAsync(superuser, """
                CREATE TABLE entries (id serial PRIMARY KEY, text text NOT NULL);
                CREATE FUNCTION entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'append-only'; END $$;
                CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries FOR EACH ROW EXECUTE FUNCTION entries_refuse_change();
                """);
        }

        // Generated like the AppHost's, so that no password, even a throwaway one, sits in the repository.
        var ownerPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var appPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

        // Twice: a second start of the AppHost runs it again on the same data.
        for (var run = 0; run < 2; run++)
        {
            await ServiceDatabaseRoles.EnsureAsync(fixture.Postgres.ConnectionString("postgres"), database, ownerPassword, appPassword, CancellationToken.None);
        }

        var runtime = new NpgsqlConnectionStringBuilder(fixture.Postgres.ConnectionString(database))
        {
            Username = ServiceDatabaseRoles.RuntimeOf(database),
            Password = appPassword,
            Pooling = false,
        };
        await using (var app = new NpgsqlConnection(runtime.ConnectionString))
        {
            await app.OpenAsync();
            await ExecuteAsync(app, "INSERT INTO entries (text) VALUES ('kept')");
            var drop = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, "DROP TRIGGER entries_append_only ON entries"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, drop.SqlState);
            var create = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(app, "CREATE TABLE more (id int)"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, create.SqlState);
        }

        var owner = new NpgsqlConnectionStringBuilder(runtime.ConnectionString) { Username = ServiceDatabaseRoles.OwnerOf(database), Password = ownerPassword };
        await using (var migrations = new NpgsqlConnection(owner.ConnectionString))
        {
            await migrations.OpenAsync();
            // What a later migration does: a new table, which the runtime role may then use without another grant.
            await ExecuteAsync(migrations, "ALTER TABLE entries ADD COLUMN at timestamptz; CREATE TABLE later (id serial PRIMARY KEY)");
        }

        await using (var app = new NpgsqlConnection(runtime.ConnectionString))
        {
            await app.OpenAsync();
            await ExecuteAsync(app, "INSERT INTO later DEFAULT VALUES");
        }

        // Nor may it connect to another service's database, which revokes CONNECT from PUBLIC in the same way.
        await ServiceDatabaseRoles.EnsureAsync(fixture.Postgres.ConnectionString("postgres"), "neighbourdb", "owner-secret-2", "app-secret-2", CancellationToken.None);
        var stranger = new NpgsqlConnectionStringBuilder(runtime.ConnectionString) { Database = "neighbourdb" };
        await using var elsewhere = new NpgsqlConnection(stranger.ConnectionString);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => elsewhere.OpenAsync())).SqlState);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
