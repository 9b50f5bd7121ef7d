using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Procexon.Console.Authentication;
using Procexon.Console.Infrastructure;
using Procexon.Messaging;
using Procexon.Testing;

namespace Procexon.Console.Tests;

/// <summary>
/// The console's database on real PostgreSQL, started once for the collection and migrated as the console's step
/// migrates it; each test starts console "replicas" on it: the session store and key ring as the console registers
/// them, with the same session key unless told otherwise.
/// </summary>
public sealed class ConsoleDatabaseFixture : IAsyncLifetime
{
    private PostgresServer _postgres = null!;

    public string SessionKey { get; } = NewKey();

    public static string NewKey() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private string ConnectionString => _postgres.ConnectionString("consoledb");

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        await using var migrating = Build(null, null);
        foreach (var step in migrating.Services.GetServices<IDatabaseMigrationStep>())
        {
            await step.MigrateAsync(CancellationToken.None);
        }
    }

    /// <summary>A console process's session store on the shared database, as a second replica or a restart would have it.</summary>
    public ConsoleReplica Replica(TimeProvider? clock = null, IReadOnlyDictionary<string, string?>? settings = null) => Build(clock, settings);

    public async Task<Dictionary<string, byte[]>> SessionRowsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, ticket FROM sessions", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = (byte[])reader[1];
        }

        return rows;
    }

    public async Task<List<string>> KeyRingAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    private ConsoleReplica Build(TimeProvider? clock, IReadOnlyDictionary<string, string?>? settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:consoledb"] = ConnectionString,
            ["ConnectionStrings:consoledb-owner"] = ConnectionString,
            [SessionEncryption.Setting] = SessionKey,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.AddServerSideSessions();
        return new ConsoleReplica(builder.Build());
    }
}

/// <summary>One console process's services, not started: the tests call the session store itself.</summary>
public sealed class ConsoleReplica(IHost host) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public ServerSideSessions Sessions => host.Services.GetRequiredService<ServerSideSessions>();

    public ValueTask DisposeAsync()
    {
        host.Dispose();
        return ValueTask.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleDatabaseCollection : ICollectionFixture<ConsoleDatabaseFixture>
{
    public const string Name = "The console's database on real PostgreSQL";
}
