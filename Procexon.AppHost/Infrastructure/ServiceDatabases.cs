using Microsoft.Extensions.DependencyInjection;

namespace Procexon.AppHost.Infrastructure;

/// <summary>A service's database as the AppHost hands it out: the runtime role's resource and the owner's connection string.</summary>
public sealed record ServiceDatabase(IResourceBuilder<IResourceWithConnectionString> Runtime, ReferenceExpression OwnerConnectionString);

/// <summary>
/// One service's database on the platform's PostgreSQL, connected to as the service's runtime role
/// (<see cref="ServiceDatabaseRoles"/>). It has no process of its own: it is running once its server is ready and its
/// roles exist.
/// </summary>
public sealed class ServiceDatabaseResource(string name, IResourceWithConnectionString server, EndpointReference endpoint, ParameterResource password)
    : Resource(name), IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString
{
    public IResourceWithConnectionString Parent { get; } = server;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={ServiceDatabaseRoles.RuntimeOf(Name)};Password={password};Database={Name}");
}

internal static class ServiceDatabases
{
    /// <summary>
    /// Declares the services' databases on <paramref name="server"/>; when the server is ready, creates each database
    /// and its roles (as the superuser, whose connection string only the AppHost holds) and only then lets the services
    /// that wait for it start.
    /// </summary>
    public static Func<string, ServiceDatabase> AddServiceDatabases(
        this IDistributedApplicationBuilder builder, IResourceWithConnectionString server, EndpointReference endpoint, Func<string, string> secret)
    {
        var databases = new List<(ServiceDatabaseResource Resource, string OwnerPassword, string RuntimePassword)>();
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (ready, cancellationToken) =>
        {
            var superuser = await server.ConnectionStringExpression.GetValueAsync(cancellationToken)
                ?? throw new InvalidOperationException("PostgreSQL has no connection string.");
            var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var (database, ownerPassword, runtimePassword) in databases)
            {
                await ServiceDatabaseRoles.EnsureAsync(superuser, database.Name, ownerPassword, runtimePassword, cancellationToken);
                await notifications.PublishUpdateAsync(database, state => state with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                });
            }
        });

        return name =>
        {
            // Generated once and kept with the local data, like every other secret; on the dashboard's parameters tab.
            var owner = builder.AddParameter($"{name}-owner-password", secret($"{name}-owner"), secret: true);
            var runtime = builder.AddParameter($"{name}-app-password", secret($"{name}-app"), secret: true);
            var database = new ServiceDatabaseResource(name, server, endpoint, runtime.Resource);
            databases.Add((database, secret($"{name}-owner"), secret($"{name}-app")));
            var resource = builder.AddResource(database)
                .WithInitialState(new CustomResourceSnapshot
                {
                    ResourceType = "PostgresDatabase",
                    State = KnownResourceStates.Waiting,
                    Properties = [],
                });
            var ownerConnection = ReferenceExpression.Create(
                $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={ServiceDatabaseRoles.OwnerOf(name)};Password={owner.Resource};Database={name}");
            return new ServiceDatabase(resource, ownerConnection);
        };
    }
}
