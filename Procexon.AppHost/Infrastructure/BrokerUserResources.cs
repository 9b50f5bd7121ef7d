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
            return builder.AddResource(resource).ExcludeFromManifest();
        };
    }
}
