using Microsoft.Extensions.DependencyInjection;

namespace Procexon.AppHost.Infrastructure;

/// <summary>One process's connection to the broker, as its own user (<see cref="BrokerUsers"/>).</summary>
public sealed class BrokerUserResource(string name, IResourceWithConnectionString broker, EndpointReference endpoint, string user, ParameterResource password)
    : Resource(name), IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString
{
    public IResourceWithConnectionString Parent { get; } = broker;

    public string User { get; } = user;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{User}:{password}@{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}");
}

internal static class BrokerUserResources
{
    /// <summary>
    /// Declares the processes' broker users on <paramref name="broker"/>; when everything is declared, writes the
    /// definitions file the broker loads at start (<paramref name="definitionsPath"/>).
    /// </summary>
    public static Func<string, BrokerUsers.Permissions, IResourceBuilder<IResourceWithConnectionString>> AddBrokerUsers(
        this IDistributedApplicationBuilder builder, IResourceWithConnectionString broker, EndpointReference endpoint,
        string administratorPassword, string definitionsPath, Func<string, string> secret)
    {
        var users = new List<(string User, string Password, BrokerUsers.Permissions Permissions)>();
        var resources = new List<BrokerUserResource>();
        // A user has no process of its own: it is there once the broker, which loaded it, is ready.
        builder.Eventing.Subscribe<ResourceReadyEvent>(broker, async (ready, _) =>
        {
            var notifications = ready.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var resource in resources)
            {
                await notifications.PublishUpdateAsync(resource, state => state with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                });
            }
        });
        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(definitionsPath)!);
            File.WriteAllText(definitionsPath, BrokerUsers.Definitions(administratorPassword, users));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(definitionsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return Task.CompletedTask;
        });

        return (user, permissions) =>
        {
            var password = secret($"messaging-{user}");
            var parameter = builder.AddParameter($"messaging-{user}-password", password, secret: true);
            users.Add((user, password, permissions));
            var resource = new BrokerUserResource($"messaging-{user}", broker, endpoint, user, parameter.Resource);
            resources.Add(resource);
            return builder.AddResource(resource)
                .WithInitialState(new CustomResourceSnapshot
                {
                    ResourceType = "RabbitMQUser",
                    State = KnownResourceStates.Waiting,
                    Properties = [],
                })
                .ExcludeFromManifest();
        };
    }
}
