using System.Diagnostics;
using System.Globalization;
using Npgsql;
using RabbitMQ.Client;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Procexon.Testing;

/// <summary>
/// How tests get their PostgreSQL and RabbitMQ: Testcontainers where a container engine answers, otherwise the
/// repository's scripts run Debian's servers on free ports in a temporary folder. <c>PROCEXON_TEST_SERVERS</c>
/// (<c>container</c> or <c>local</c>) overrides the choice. A server that cannot start fails the test with its output.
/// </summary>
public static class TestServers
{
    public static bool UseContainers { get; } = Environment.GetEnvironmentVariable("PROCEXON_TEST_SERVERS") switch
    {
        "container" => true,
        "local" => false,
        _ => ContainerEngineAnswers(),
    };

    /// <summary>A temporary folder the postgres and rabbitmq system users can walk into.</summary>
    public static string CreateTemporaryDirectory(string purpose)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"procexon-{purpose}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return directory;
    }

    private static bool ContainerEngineAnswers()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            return docker is not null && docker.WaitForExit(5000) && docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>A PostgreSQL server for one test collection.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    // Made for each server: nothing of a secret's shape is committed, even for a throwaway test server.
    private static readonly string Password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly LocalServerProcess? _local;
    private readonly PostgreSqlContainer? _container;
    private readonly string? _directory;

    private PostgresServer(int port, LocalServerProcess? local, PostgreSqlContainer? container, string? directory)
    {
        Port = port;
        _local = local;
        _container = container;
        _directory = directory;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database={database};Include Error Detail=false";

    public static async Task<PostgresServer> StartAsync()
    {
        var port = FreePort.Next();
        if (TestServers.UseContainers)
        {
            var container = new PostgreSqlBuilder("postgres:15")
                .WithPassword(Password)
                .WithUsername("postgres")
                .WithPortBinding(port, 5432)
                .Build();
            await container.StartAsync();
            return new PostgresServer(port, null, container, null);
        }

        var directory = TestServers.CreateTemporaryDirectory("pg");
        var local = new LocalServerProcess(
            $"PostgreSQL on port {port}",
            RepositoryPaths.ServerScript("postgres.sh"),
            [Path.Combine(directory, "data"), port.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["POSTGRES_PASSWORD"] = Password });
        var server = new PostgresServer(port, local, null, directory);
        local.Start();
        await server.WaitUntilReadyAsync();
        return server;
    }

    private async Task WaitUntilReadyAsync() => await _local!.WaitUntilReadyAsync(async cancellationToken =>
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        return true;
    }, TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        // A smart shutdown waits for idle pooled connections; closing them first keeps teardown quick.
        NpgsqlConnection.ClearAllPools();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_local is not null)
        {
            await _local.DisposeAsync();
        }

        TryDelete(_directory);
    }

    internal static void TryDelete(string? directory)
    {
        try
        {
            if (directory is not null && Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A RabbitMQ broker for one test collection; it can be killed and brought back on the same port and data.</summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    // Made for each server: nothing of a secret's shape is committed, even for a throwaway test server.
    private static readonly string Password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly LocalServerProcess? _local;
    private readonly RabbitMqContainer? _container;
    private readonly string? _directory;

    private RabbitMqServer(int port, int? distributionPort, LocalServerProcess? local, RabbitMqContainer? container, string? directory)
    {
        Port = port;
        DistributionPort = distributionPort;
        _local = local;
        _container = container;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>The Erlang distribution port of a local node; <see langword="null"/> in a container, which does not publish it.</summary>
    public int? DistributionPort { get; }

    public Uri Uri => new($"amqp://procexon:{Password}@127.0.0.1:{Port}");

    public static async Task<RabbitMqServer> StartAsync()
    {
        var port = FreePort.Next();
        if (TestServers.UseContainers)
        {
            var container = new RabbitMqBuilder("rabbitmq:3.13")
                .WithUsername("procexon")
                .WithPassword(Password)
                .WithPortBinding(port, 5672)
                .Build();
            await container.StartAsync();
            return new RabbitMqServer(port, null, null, container, null);
        }

        var directory = TestServers.CreateTemporaryDirectory("rmq");
        var distributionPort = FreePort.Next();
        var local = new LocalServerProcess(
            $"RabbitMQ on port {port}",
            RepositoryPaths.ServerScript("rabbitmq.sh"),
            [Path.Combine(directory, "node"), port.ToString(CultureInfo.InvariantCulture), distributionPort.ToString(CultureInfo.InvariantCulture), "0"],
            new Dictionary<string, string> { ["RABBITMQ_PASSWORD"] = Password });
        var server = new RabbitMqServer(port, distributionPort, local, null, directory);
        local.Start();
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>Kills the broker as a crash would (SIGKILL to the Erlang VM): unacknowledged messages stay queued.</summary>
    public async Task KillAsync()
    {
        if (_container is not null)
        {
            await _container.StopAsync();
            return;
        }

        await _local!.StopAsync(kill: true, pidFile: Path.Combine(_directory!, "node", "rabbitmq.pid"));
    }

    /// <summary>Starts the broker again on the same port and data folder, and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        if (_container is not null)
        {
            await _container.StartAsync();
            return;
        }

        _local!.Start();
        await WaitUntilReadyAsync();
    }

    private async Task WaitUntilReadyAsync() => await _local!.WaitUntilReadyAsync(async cancellationToken =>
    {
        var factory = new ConnectionFactory { Uri = Uri, RequestedConnectionTimeout = TimeSpan.FromSeconds(2) };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        return connection.IsOpen;
    }, TimeSpan.FromSeconds(90));

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_local is not null)
        {
            await _local.DisposeAsync();
        }

        PostgresServer.TryDelete(_directory);
    }
}
