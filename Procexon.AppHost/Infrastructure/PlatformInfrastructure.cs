using Microsoft.Extensions.Configuration;

namespace Procexon.AppHost.Infrastructure;

/// <summary>The broker and the database server, whichever way they run; services only see connection strings.</summary>
public sealed class PlatformInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> broker,
    Func<string, IResourceBuilder<IResourceWithConnectionString>> addDatabase)
{
    /// <summary>The name services look the broker's connection string up by (<c>ConnectionStrings:messaging</c>).</summary>
    public const string BrokerName = "messaging";

    public IResourceBuilder<IResourceWithConnectionString> Broker { get; } = broker;

    public IResourceBuilder<IResourceWithConnectionString> AddDatabase(string name) => addDatabase(name);
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
        return useContainers ? builder.AddContainerInfrastructure() : builder.AddLocalServerInfrastructure(options);
    }

    /// <summary>The service's own database: its connection string as <c>ConnectionStrings:{name}</c>, started first.</summary>
    public static IResourceBuilder<ProjectResource> WithServiceDatabase(
        this IResourceBuilder<ProjectResource> service, PlatformInfrastructure infrastructure, string name)
    {
        var database = infrastructure.AddDatabase(name);
        return service.WithReference(database).WaitFor(database);
    }

    private static PlatformInfrastructure AddContainerInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres("postgres").WithDataVolume();
        var broker = builder.AddRabbitMQ(PlatformInfrastructure.BrokerName).WithManagementPlugin().WithDataVolume();
        return new PlatformInfrastructure(broker, name => postgres.AddDatabase(name));
    }
}
