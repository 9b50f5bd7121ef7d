using Microsoft.Extensions.Configuration;

namespace Procexon.AppHost.Infrastructure;

/// <summary>The broker and the database server, whichever way they run; services only see connection strings.</summary>
public sealed class PlatformInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> broker,
    Func<string, ServiceDatabase> addDatabase,
    Func<string, string> secret)
{
    /// <summary>The name services look the broker's connection string up by (<c>ConnectionStrings:messaging</c>).</summary>
    public const string BrokerName = "messaging";

    public IResourceBuilder<IResourceWithConnectionString> Broker { get; } = broker;

    public ServiceDatabase AddDatabase(string name) => addDatabase(name);

    /// <summary>A secret made on first run and kept with the platform's local data, so it survives restarts.</summary>
    public string Secret(string name) => secret(name);
}

public static class PlatformInfrastructureExtensions
{
    /// <summary>
    /// Declares PostgreSQL and RabbitMQ. <c>Infrastructure:Mode</c> is <c>container</c>, <c>executable</c> or
    /// <c>auto</c> (containers when <c>docker info</c> answers, otherwise the local Debian servers).
    /// </summary>
    public static PlatformInfrastructure AddPlatformInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Infrastructure").Get<InfrastructureOptions>() ?? new InfrastructureOptions();
        var useContainers = options.Mode.ToLowerInvariant() switch
        {
            "container" => true,
            "executable" => false,
            _ => ContainerEngine.Answers(),
        };
        return useContainers ? builder.AddContainerInfrastructure(options) : builder.AddLocalServerInfrastructure(options);
    }

    /// <summary>
    /// The service's own database, started first: <c>ConnectionStrings:{name}</c> as its runtime role, which may read and
    /// write rows only, and <c>ConnectionStrings:{name}-owner</c> as the role that owns the schema, for its migrations
    /// (<see cref="ServiceDatabaseRoles"/>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceDatabase(
        this IResourceBuilder<ProjectResource> service, PlatformInfrastructure infrastructure, string name)
    {
        var database = infrastructure.AddDatabase(name);
        return service.WithReference(database.Runtime).WaitFor(database.Runtime)
            .WithEnvironment($"ConnectionStrings__{ServiceDatabaseRoles.OwnerConnectionName(name)}", database.OwnerConnectionString);
    }

    /// <summary>A secret parameter (hidden on the dashboard) whose value is generated once and kept.</summary>
    public static IResourceBuilder<ParameterResource> AddSecret(
        this IDistributedApplicationBuilder builder, string name, PlatformInfrastructure infrastructure) =>
        builder.AddParameter(name, infrastructure.Secret(name), secret: true);

    private static PlatformInfrastructure AddContainerInfrastructure(this IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        var postgres = builder.AddPostgres("postgres").WithDataVolume();
        var broker = builder.AddRabbitMQ(PlatformInfrastructure.BrokerName).WithManagementPlugin().WithDataVolume();
        var dataRoot = LocalDataDirectory.Resolve(Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..")), options.DataDirectory);
        var databases = builder.AddServiceDatabases(postgres.Resource, postgres.Resource.PrimaryEndpoint, name => LocalDataDirectory.Secret(dataRoot, name));
        return new PlatformInfrastructure(broker, databases, name => LocalDataDirectory.Secret(dataRoot, name));
    }
}
