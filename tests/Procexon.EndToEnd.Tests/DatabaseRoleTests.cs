using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// Each service runs as a database role of its own that reads and writes rows and owns nothing: it cannot drop or
/// disable the audit trail's append-only trigger, nor reach another service's database (DESIGN §10, the security
/// review's item 9). The connection strings are the ones the AppHost hands the services; the schema owner's goes only to
/// each service's migration step, which has finished before the service starts.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DatabaseRoleTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("registry")]
    [InlineData("rightsrequests")]
    [InlineData("retention")]
    [InlineData("disclosurelog")]
    [InlineData("identity")]
    [InlineData("accounting-firm")]
    public void Only_the_migration_step_holds_the_schema_owners_password_and_it_finished_before_the_service(string service)
    {
        // The environments the processes were started with, as the dashboard shows them.
        var notifications = platform.App.Services.GetRequiredService<ResourceNotificationService>();
        Assert.True(notifications.TryGetCurrentState(service, out var running));
        Assert.True(notifications.TryGetCurrentState($"{service}-migrations", out var step));
        var own = EnvironmentOf(running);
        var migration = EnvironmentOf(step);

        Assert.DoesNotContain(own.Keys, key => key.EndsWith("-owner", StringComparison.Ordinal));
        Assert.Equal("true", own["Database__MigratedBySeparateStep"]);
        Assert.Contains(migration.Keys, key => key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && key.EndsWith("-owner", StringComparison.Ordinal));
        Assert.Equal("true", migration["Database__MigrateAndExit"]);
        // It ran with the service's own settings (its keys among them), and exited cleanly.
        Assert.All(own.Keys.Where(key => key.EndsWith("Key", StringComparison.Ordinal)), key => Assert.Equal(own[key], migration[key]));
        Assert.Equal(KnownResourceStates.Finished, step.Snapshot.State?.Text);
        Assert.Equal(0, step.Snapshot.ExitCode);
        // The service runs, and it refuses to start on a schema with pending migrations (Database:MigratedBySeparateStep).
        Assert.Equal(KnownResourceStates.Running, running.Snapshot.State?.Text);
    }

    private static Dictionary<string, string?> EnvironmentOf(ResourceEvent resource) =>
        resource.Snapshot.EnvironmentVariables.ToDictionary(variable => variable.Name, variable => variable.Value);

    [Fact]
    public async Task A_ownrole_can_neither_drop_the_audit_trails_trigger_nor_rewrite_the_trail()
    {
        // A request, so that the trail has a row to rewrite.
        using (var received = await platform.Gateway.PostAsJsonAsync("/api/requests",
            new { type = "access", subject = new { email = $"roles-{Guid.NewGuid():N}@example.fi" }, channel = "letter" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, received.StatusCode);
        }

        await using var connection = new NpgsqlConnection(await platform.App.GetConnectionStringAsync("rightsrequestsdb"));
        await connection.OpenAsync();
        Assert.Equal("rightsrequestsdb_app", await ScalarAsync<string>(connection, "SELECT current_user"));
        Assert.False(await ScalarAsync<bool>(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));

        foreach (var sql in new[]
        {
            "DROP TRIGGER request_audit_entries_no_update_or_delete ON request_audit_entries",
            "ALTER TABLE request_audit_entries DISABLE TRIGGER ALL",
            "DROP TABLE request_audit_entries",
            "DROP FUNCTION request_audit_entries_refuse_change()",
            "CREATE TABLE intruder (id int)",
        })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        // Rows it may write, but the trail's rows the trigger still guards.
        var rewrite = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, "UPDATE request_audit_entries SET actor = 'someone else'"));
        Assert.Contains("append-only", rewrite.MessageText, StringComparison.Ordinal);
        Assert.Equal(1, await ScalarAsync<int>(connection,
            "SELECT count(*)::int FROM pg_trigger WHERE tgname = 'request_audit_entries_no_update_or_delete' AND tgenabled = 'O'"));
    }

    [Fact]
    public async Task A_ownrole_cannot_connect_to_another_services_database()
    {
        foreach (var (own, other) in new[] { ("rightsrequestsdb", "registrydb"), ("registrydb", "rightsrequestsdb"), ("accountingfirmdb", "disclosurelogdb") })
        {
            var elsewhere = new NpgsqlConnectionStringBuilder(await platform.App.GetConnectionStringAsync(own)) { Database = other, Pooling = false };
            await using var connection = new NpgsqlConnection(elsewhere.ConnectionString);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
