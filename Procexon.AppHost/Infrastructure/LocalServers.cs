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
    public static PlatformInfrastructure AddLocalServerInfrastructure(
        this IDistributedApplicationBuilder builder, InfrastructureOptions options, BrokerOptions broker)
    {
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var dataRoot = LocalDataDirectory.Resolve(repository, options.DataDirectory);
        var scripts = Path.Combine(repository, "scripts", "servers");

        var postgres = builder.AddLocalPostgres(dataRoot, scripts, options.PostgresPort);
        var brokerNodes = builder.AddLocalRabbitMq(dataRoot, scripts, options, broker);
        var first = brokerNodes.Nodes[0];

        var databases = builder.AddServiceDatabases(postgres.Resource, postgres.Resource.Endpoint, name => LocalDataDirectory.Secret(dataRoot, name));
        var brokerUsers = builder.AddBrokerUsers(first.Resource, first.Resource.Endpoint, LocalDataDirectory.Secret(dataRoot, "rabbitmq"),
            DefinitionsPath(dataRoot), name => LocalDataDirectory.Secret(dataRoot, name));
        return new PlatformInfrastructure(first, databases, brokerUsers, name => LocalDataDirectory.Secret(dataRoot, name), dataRoot)
        {
            BrokerNodes = brokerNodes.Nodes,
            BrokerClusterAddresses = brokerNodes.ClusterAddresses,
        };
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

    /// <summary>
    /// The broker: one node, or with <c>Broker:Nodes=3</c> three nodes on loopback that cluster by classic peer
    /// discovery (each lists all three in its config file) and share an Erlang cookie generated on first run. The first
    /// node is the resource <c>messaging</c> (with the management UI); the others are <c>messaging-2</c>, <c>messaging-3</c>.
    /// </summary>
    private static BrokerNodes AddLocalRabbitMq(
        this IDistributedApplicationBuilder builder, string dataRoot, string scripts, InfrastructureOptions options, BrokerOptions broker)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var ports = NodePorts(options, broker);
        var secret = LocalDataDirectory.Secret(dataRoot, "rabbitmq");
        var password = builder.AddParameter("messaging-password", secret, secret: true);
        // The nodes' shared secret: whoever holds it controls every node, so it is generated here, kept with the local
        // data, and never the machine's own cookie (other nodes on this machine share that one).
        var cookie = ports.Count > 1
            ? builder.AddParameter("messaging-erlang-cookie", LocalDataDirectory.Secret(dataRoot, "rabbitmq-erlang-cookie"), secret: true)
            : null;

        var nodes = new List<IResourceBuilder<LocalRabbitMqServerResource>>();
        for (var i = 0; i < ports.Count; i++)
        {
            var (amqpPort, distributionPort) = ports[i];
            var name = i == 0 ? PlatformInfrastructure.BrokerName : $"{PlatformInfrastructure.BrokerName}-{i + 1}";
            var uri = new Uri($"amqp://procexon:{secret}@127.0.0.1:{amqpPort}");
            builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
                $"{name}-ready", _ => new RabbitMqHealthCheck(uri), failureStatus: null, tags: null));
            var managementPort = i == 0 ? options.RabbitMqManagementPort : 0;
            // A cluster's nodes keep folders of their own, so the single node's data stays as it was for the default run.
            var folder = ports.Count == 1 ? "rabbitmq" : $"rabbitmq-node{i + 1}";
            var node = builder.AddResource(new LocalRabbitMqServerResource(name, dataRoot, password.Resource))
                .WithArgs(
                    Path.Combine(scripts, "rabbitmq.sh"),
                    Path.Combine(dataRoot, folder),
                    amqpPort.ToString(invariant),
                    distributionPort.ToString(invariant),
                    managementPort.ToString(invariant))
                .WithEnvironment("RABBITMQ_PASSWORD", password)
                .WithEnvironment("RABBITMQ_DEFINITIONS", DefinitionsPath(dataRoot))
                .WithEndpoint(port: amqpPort, targetPort: amqpPort, scheme: "tcp", name: "tcp", isProxied: false)
                .WithHealthCheck($"{name}-ready");
            if (managementPort != 0)
            {
                node.WithHttpEndpoint(port: managementPort, targetPort: managementPort, name: "management", isProxied: false);
            }

            if (cookie is not null)
            {
                node.WithEnvironment("RABBITMQ_CLUSTER_PORTS", string.Join(' ', ports.Select(p => p.Amqp.ToString(invariant))))
                    .WithEnvironment("RABBITMQ_CLUSTER_COOKIE", cookie);
            }

            if (i > 0)
            {
                node.WithParentRelationship(nodes[0]);
            }

            nodes.Add(node);
        }

        return new BrokerNodes(nodes, ports.Count > 1 ? [.. ports.Select(p => $"127.0.0.1:{p.Amqp.ToString(invariant)}")] : []);
    }

    private static List<(int Amqp, int Distribution)> NodePorts(InfrastructureOptions options, BrokerOptions broker)
    {
        if (broker.Nodes is not (1 or 3))
        {
            // Two nodes cannot outvote each other and lose the majority with either; more add nothing on one machine.
            throw new InvalidOperationException($"Broker:Nodes is {broker.Nodes}: the broker runs as 1 node or as a cluster of 3.");
        }

        var ports = new List<(int, int)> { (options.RabbitMqPort, options.RabbitMqDistributionPort) };
        for (var i = 1; i < broker.Nodes; i++)
        {
            if (i - 1 < broker.Ports.Count)
            {
                var parts = broker.Ports[i - 1].Split(':');
                ports.Add((int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)));
            }
            else
            {
                ports.Add((options.RabbitMqPort + 10 * i, options.RabbitMqDistributionPort + 10 * i));
            }
        }

        return ports;
    }
}

/// <summary>The broker's nodes (the first is the one the processes' connection strings name), and every node's AMQP address when clustered.</summary>
internal sealed record BrokerNodes(IReadOnlyList<IResourceBuilder<LocalRabbitMqServerResource>> Nodes, IReadOnlyList<string> ClusterAddresses);

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
