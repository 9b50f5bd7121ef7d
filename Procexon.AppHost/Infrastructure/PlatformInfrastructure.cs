using Microsoft.Extensions.Configuration;

namespace Procexon.AppHost.Infrastructure;

/// <summary>The broker and the database server, whichever way they run; services only see connection strings.</summary>
public sealed class PlatformInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> broker,
    Func<string, ServiceDatabase> addDatabase,
    Func<string, BrokerUsers.Permissions, IResourceBuilder<IResourceWithConnectionString>> addBrokerUser,
    Func<string, string> secret,
    string dataRoot)
{
    /// <summary>The name services look the broker's connection string up by (<c>ConnectionStrings:messaging</c>).</summary>
    public const string BrokerName = "messaging";

    public IResourceBuilder<IResourceWithConnectionString> Broker { get; } = broker;

    /// <summary>Every node of the broker, <see cref="Broker"/> first: one, or three when clustered (<see cref="BrokerOptions"/>).</summary>
    public IReadOnlyList<IResourceBuilder<IResource>> BrokerNodes { get; init; } = [broker];

    /// <summary>Every node's AMQP address (<c>host:port</c>) when the broker is a cluster; empty for one node.</summary>
    public IReadOnlyList<string> BrokerClusterAddresses { get; init; } = [];

    public ServiceDatabase AddDatabase(string name) => addDatabase(name);

    /// <summary>A process's connection to the broker as its own user with <paramref name="permissions"/>.</summary>
    public IResourceBuilder<IResourceWithConnectionString> AddBrokerUser(string user, BrokerUsers.Permissions permissions) =>
        addBrokerUser(user, permissions);

    /// <summary>A secret made on first run and kept with the platform's local data, so it survives restarts.</summary>
    public string Secret(string name) => secret(name);

    /// <summary>A folder of its own for a process's files, with the platform's local data (git-ignored), made if missing.</summary>
    public string DataDirectory(string name) => Directory.CreateDirectory(Path.Combine(dataRoot, name)).FullName;
}

public static class PlatformInfrastructureExtensions
{
    /// <summary>
    /// Declares PostgreSQL and RabbitMQ. <c>Infrastructure:Mode</c> is <c>container</c>, <c>executable</c> or
    /// <c>auto</c> (containers when <c>docker info</c> answers, otherwise the local Debian servers; always the local
    /// servers for a broker of several nodes, <c>Broker:Nodes</c>).
    /// </summary>
    public static PlatformInfrastructure AddPlatformInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Infrastructure").Get<InfrastructureOptions>() ?? new InfrastructureOptions();
        var broker = builder.Configuration.GetSection("Broker").Get<BrokerOptions>() ?? new BrokerOptions();
        var useContainers = options.Mode.ToLowerInvariant() switch
        {
            "container" => true,
            "executable" => false,
            // A cluster is Debian's nodes side by side on this machine, engine or not.
            _ => broker.Nodes == 1 && ContainerEngine.Answers(),
        };
        if (useContainers && broker.Nodes != 1)
        {
            throw new InvalidOperationException("Broker:Nodes other than 1 runs Debian's RabbitMQ nodes: it needs Infrastructure:Mode=executable.");
        }

        return useContainers ? builder.AddContainerInfrastructure(options) : builder.AddLocalServerInfrastructure(options, broker);
    }

    /// <summary>
    /// The service's own database, started first, as its runtime role (<c>ConnectionStrings:{name}</c>), which may read
    /// and write rows only (<see cref="ServiceDatabaseRoles"/>). The schema is migrated before the service starts by a
    /// step of its own, <c>{service}-migrations</c>: the same program with the same settings, started with the schema
    /// owner's connection string (<c>ConnectionStrings:{name}-owner</c>) and <c>Database:MigrateAndExit</c>; it migrates,
    /// runs the keyed data upgrades, and exits. The owner's password reaches that step alone, never the running service.
    /// </summary>
    /// <typeparam name="TProject">
    /// The service's project, as the AppHost added it: its generated metadata says the AppHost's build built it, so the step
    /// starts with <c>dotnet run --no-build</c>. A project added by path is built again by every step at once, which
    /// collided on the shared projects' outputs (a step failed on a locked <c>Procexon.Contracts.dll</c>) and cost each
    /// start of the platform a minute of MSBuild.
    /// </typeparam>
    public static IResourceBuilder<ProjectResource> WithServiceDatabase<TProject>(
        this IResourceBuilder<ProjectResource> service, PlatformInfrastructure infrastructure, string name)
        where TProject : IProjectMetadata, new()
    {
        if (service.Resource.GetProjectMetadata() is not TProject)
        {
            throw new ArgumentException($"{service.Resource.Name} is not the project {typeof(TProject).Name}.", nameof(service));
        }

        var database = infrastructure.AddDatabase(name);
        var migrations = service.ApplicationBuilder
            // No endpoints: the step never listens, and its launch profile's fixed port is the service's own, which the
            // step's proxy would take (with fixed ports the service's health check then reached a step that had exited).
            .AddProject<TProject>($"{service.Resource.Name}-migrations", options =>
            {
                options.ExcludeLaunchProfile = true;
                options.ExcludeKestrelEndpoints = true;
            })
            .WithReference(database.Runtime).WaitFor(database.Runtime)
            .WithParentRelationship(service)
            // The service's settings as they stand when it starts (its keys are added after this call), evaluated for
            // this process: a migration may need them (keyed upgrades, configuration read at build).
            .WithEnvironment(async context =>
            {
                foreach (var settings in service.Resource.Annotations.OfType<EnvironmentCallbackAnnotation>().ToList())
                {
                    await settings.Callback(context);
                }

                // Where the service listens names its endpoints, which the step has not: DCP failed that substitution
                // with an error on every start.
                foreach (var listening in (string[])["ASPNETCORE_URLS", "ASPNETCORE_HTTPS_PORT", "HTTP_PORTS", "HTTPS_PORTS"])
                {
                    context.EnvironmentVariables.Remove(listening);
                }

                context.EnvironmentVariables.Remove(Setting("Database:MigratedBySeparateStep"));
                context.EnvironmentVariables[Setting("Database:MigrateAndExit")] = "true";
                context.EnvironmentVariables[$"ConnectionStrings__{ServiceDatabaseRoles.OwnerConnectionName(name)}"] = database.OwnerConnectionString;
            });
        return service.WithReference(database.Runtime).WaitFor(database.Runtime)
            .WithEnvironment(Setting("Database:MigratedBySeparateStep"), "true")
            .WaitForCompletion(migrations);
    }

    private static string Setting(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>
    /// The broker for a service (<c>ConnectionStrings:messaging</c>) as its own user, which may use only the service's
    /// own queues and the event exchanges (<see cref="BrokerUsers.ForService"/>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceBroker(
        this IResourceBuilder<ProjectResource> service, PlatformInfrastructure infrastructure, string name) =>
        service.WithReference(infrastructure.AddBrokerUser(name, BrokerUsers.ForService(name)), PlatformInfrastructure.BrokerName)
            .WaitForBrokerNodes(infrastructure);

    /// <summary>The broker for a recipient's processor, as a user that may read only that recipient's queue (<see cref="BrokerUsers.ForProcessor"/>).</summary>
    public static IResourceBuilder<ProjectResource> WithProcessorBroker(
        this IResourceBuilder<ProjectResource> processor, PlatformInfrastructure infrastructure, string recipient) =>
        processor.WithReference(infrastructure.AddBrokerUser($"processor-{recipient}", BrokerUsers.ForProcessor(recipient)), PlatformInfrastructure.BrokerName)
            .WaitForBrokerNodes(infrastructure);

    /// <summary>
    /// Starts the process once every node runs (a quorum queue is replicated over the nodes there are when it is
    /// declared), and gives it every node's address (<c>Messaging:Nodes</c>) to fail over to when its node dies.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WaitForBrokerNodes(this IResourceBuilder<ProjectResource> process, PlatformInfrastructure infrastructure)
    {
        foreach (var node in infrastructure.BrokerNodes)
        {
            process.WaitFor(node);
        }

        return infrastructure.BrokerClusterAddresses.Count == 0 ? process
            : process.WithEnvironment(Setting("Messaging:Nodes"), string.Join(',', infrastructure.BrokerClusterAddresses));
    }

    /// <summary>A secret parameter (hidden on the dashboard) whose value is generated once and kept.</summary>
    public static IResourceBuilder<ParameterResource> AddSecret(
        this IDistributedApplicationBuilder builder, string name, PlatformInfrastructure infrastructure) =>
        builder.AddParameter(name, infrastructure.Secret(name), secret: true);

    private static PlatformInfrastructure AddContainerInfrastructure(this IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        var postgres = builder.AddPostgres("postgres").WithDataVolume();
        var dataRoot = LocalDataDirectory.Resolve(Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..")), options.DataDirectory);
        // The broker's users come from a definitions file it loads at start, the administrator's among them.
        var administratorPassword = LocalDataDirectory.Secret(dataRoot, "rabbitmq");
        var definitions = Path.Combine(dataRoot, "rabbitmq-definitions.json");
        var broker = builder.AddRabbitMQ(
                PlatformInfrastructure.BrokerName,
                builder.AddParameter("messaging-user", BrokerUsers.Administrator),
                builder.AddParameter("messaging-password", administratorPassword, secret: true))
            .WithManagementPlugin()
            .WithDataVolume()
            .WithBindMount(definitions, "/etc/rabbitmq/definitions.json", isReadOnly: true)
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-rabbit load_definitions \"/etc/rabbitmq/definitions.json\"");
        var databases = builder.AddServiceDatabases(postgres.Resource, postgres.Resource.PrimaryEndpoint, name => LocalDataDirectory.Secret(dataRoot, name));
        var brokerUsers = builder.AddBrokerUsers(broker.Resource, broker.Resource.PrimaryEndpoint, administratorPassword, definitions,
            name => LocalDataDirectory.Secret(dataRoot, name));
        return new PlatformInfrastructure(broker, databases, brokerUsers, name => LocalDataDirectory.Secret(dataRoot, name), dataRoot);
    }
}
