using System.Security.Cryptography;
using HealthChecks.NpgSql;
using Microsoft.Extensions.DependencyInjection;

namespace Procexon.AppHost.Infrastructure;

/// <summary>PostgreSQL run from Debian's package by <c>scripts/servers/postgres.sh</c>, shown on the dashboard like a container.</summary>
public sealed class LocalPostgresServerResource(string name, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    public EndpointReference Endpoint => new(this, "tcp");

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username=postgres;Password={Password}");
}

/// <summary>RabbitMQ run from Debian's package by <c>scripts/servers/rabbitmq.sh</c> as its own node.</summary>
public sealed class LocalRabbitMqServerResource(string name, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    public EndpointReference Endpoint => new(this, "tcp");

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://procexon:{Password}@{Endpoint.Property(EndpointProperty.Host)}:{Endpoint.Property(EndpointProperty.Port)}");
}

internal static class LocalServerInfrastructure
{
    public static PlatformInfrastructure AddLocalServerInfrastructure(this IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var dataRoot = LocalDataDirectory.Resolve(repository, options.DataDirectory);
        var scripts = Path.Combine(repository, "scripts", "servers");

        var postgres = builder.AddLocalPostgres(dataRoot, scripts, options.PostgresPort);
        var broker = builder.AddLocalRabbitMq(dataRoot, scripts, options);

        var databases = builder.AddServiceDatabases(postgres.Resource, postgres.Resource.Endpoint, name => LocalDataDirectory.Secret(dataRoot, name));
        var brokerUsers = builder.AddBrokerUsers(broker.Resource, broker.Resource.Endpoint, LocalDataDirectory.Secret(dataRoot, "rabbitmq"),
            DefinitionsPath(dataRoot), name => LocalDataDirectory.Secret(dataRoot, name));
        return new PlatformInfrastructure(broker, databases, brokerUsers, name => LocalDataDirectory.Secret(dataRoot, name), dataRoot);
    }

    private static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string dataRoot, string scripts, int port)
    {
        var secret = LocalDataDirectory.Secret(dataRoot, "postgres");
        var password = builder.AddParameter("postgres-password", secret, secret: true);
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password={secret};Timeout=3";
        builder.Services.AddHealthChecks().AddNpgSql(connectionString, name: "postgres-ready");

        return builder.AddResource(new LocalPostgresServerResource("postgres", dataRoot, password.Resource))
            .WithArgs(Path.Combine(scripts, "postgres.sh"), Path.Combine(dataRoot, "postgres"), port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("POSTGRES_PASSWORD", password)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithHealthCheck("postgres-ready");
    }

    /// <summary>The broker's users and permissions (<see cref="BrokerUsers"/>), written by the AppHost before the broker starts.</summary>
    private static string DefinitionsPath(string dataRoot) => Path.Combine(dataRoot, "rabbitmq-definitions.json");

    private static IResourceBuilder<LocalRabbitMqServerResource> AddLocalRabbitMq(
        this IDistributedApplicationBuilder builder, string dataRoot, string scripts, InfrastructureOptions options)
    {
        var secret = LocalDataDirectory.Secret(dataRoot, "rabbitmq");
        var password = builder.AddParameter("messaging-password", secret, secret: true);
        var uri = new Uri($"amqp://procexon:{secret}@127.0.0.1:{options.RabbitMqPort}");
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            "messaging-ready", _ => new RabbitMqHealthCheck(uri), failureStatus: null, tags: null));

        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var server = builder.AddResource(new LocalRabbitMqServerResource(PlatformInfrastructure.BrokerName, dataRoot, password.Resource))
            .WithArgs(
                Path.Combine(scripts, "rabbitmq.sh"),
                Path.Combine(dataRoot, "rabbitmq"),
                options.RabbitMqPort.ToString(invariant),
                options.RabbitMqDistributionPort.ToString(invariant),
                options.RabbitMqManagementPort.ToString(invariant))
            .WithEnvironment("RABBITMQ_PASSWORD", password)
            .WithEnvironment("RABBITMQ_DEFINITIONS", DefinitionsPath(dataRoot))
            .WithEndpoint(port: options.RabbitMqPort, targetPort: options.RabbitMqPort, scheme: "tcp", name: "tcp", isProxied: false)
            .WithHealthCheck("messaging-ready");
        if (options.RabbitMqManagementPort != 0)
        {
            server.WithHttpEndpoint(port: options.RabbitMqManagementPort, targetPort: options.RabbitMqManagementPort, name: "management", isProxied: false);
        }

        return server;
    }
}

/// <summary>Where local servers keep their data, and the passwords generated for them on first run.</summary>
internal static class LocalDataDirectory
{
    public static string Resolve(string repository, string configured)
    {
        var root = string.IsNullOrWhiteSpace(configured) ? Path.Combine(repository, ".data") : Path.GetFullPath(configured);
        // As root the servers run as the postgres and rabbitmq users, who must be able to walk down to their folders.
        if (Environment.UserName == "root" && !OpenToOtherUsers(root))
        {
            var fallback = Path.Combine("/var/tmp", "procexon-" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(root)))[..12]);
            Console.WriteLine($"Local servers keep their data in {fallback}: the system users postgres and rabbitmq cannot reach {root}.");
            root = fallback;
        }

        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return root;
    }

    /// <summary>A password made on first run and kept beside the data it protects (never in the repository).</summary>
    public static string Secret(string dataRoot, string name)
    {
        var path = Path.Combine(dataRoot, $"{name}.password");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secret;
    }

    private static bool OpenToOtherUsers(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        for (var directory = Directory.GetParent(path); directory is not null; directory = directory.Parent)
        {
            if (directory.Exists && !directory.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }
}
