using Microsoft.Extensions.Configuration;
using Procexon.AppHost.Infrastructure;

namespace Procexon.AppHost;

/// <summary>
/// The platform's identity provider and who may sign in to it in development (DESIGN §10): for each role a user
/// (named after the role) and a client-credentials client (<c>dev-&lt;role&gt;</c>), and a client per processor
/// (<c>dev-processor-&lt;recipient&gt;</c>), every password and secret generated once and shown on the dashboard's
/// parameters. <c>scripts/token.sh</c> reads them from there.
/// </summary>
internal static class IdentityResources
{
    public static readonly string[] Roles = ["privacy-officer", "customer-service", "register-admin", "auditor"];

    public const string WebsiteCompany = "website-it-company";

    public static readonly string[] Processors = ["accounting-firm", WebsiteCompany];

    public static string ProcessorClientId(string recipient) => $"dev-processor-{recipient}";

    private static string ProcessorClientSecretName(string recipient) => $"identity-client-dev-processor-{recipient}-secret";

    /// <summary>The generated secret of a processor's client, declared with the identity provider, for the processor itself.</summary>
    public static IResourceBuilder<ParameterResource> ProcessorClientSecret(this IDistributedApplicationBuilder builder, string recipient) =>
        builder.CreateResourceBuilder(builder.Resources.OfType<ParameterResource>().Single(p => p.Name == ProcessorClientSecretName(recipient)));

    public static IResourceBuilder<ProjectResource> AddIdentityProvider(
        this IDistributedApplicationBuilder builder, PlatformInfrastructure infrastructure, EndpointReference issuer,
        IResourceBuilder<ParameterResource> consoleSecret, int replicas = 1)
    {
        var identity = builder.AddProject<Projects.Procexon_Identity>("identity")
            .WithServiceDatabase<Projects.Procexon_Identity>(infrastructure, "identitydb")
            .WithEnvironment("Identity__Issuer", issuer)
            // Encrypts the signing keys at rest in identitydb; kept with the local data like the other keys.
            .WithEnvironment("Identity__KeyEncryptionKey", builder.AddSecret("identity-key-encryption-key", infrastructure))
            // The role that decides and exports everything signs in with an authenticator app too (enrolled at first login).
            .WithEnvironment("Identity__TwoFactorRequiredForRoles__0", "privacy-officer")
            .WithHttpHealthCheck("/health")
            // Replicas share everything through identitydb: signing keys (created under an advisory lock, reloaded on
            // a timer), the Data Protection key ring, codes, tokens, lockouts; seeding runs one replica after the other.
            .WithReplicas(replicas);

        foreach (var role in Roles)
        {
            identity
                .WithEnvironment($"Identity__Users__{role}__Password", builder.AddSecret($"identity-user-{role}-password", infrastructure))
                .WithEnvironment($"Identity__Users__{role}__DisplayName", $"Development {role}")
                .WithEnvironment($"Identity__Users__{role}__Roles__0", role)
                .WithEnvironment($"Identity__Clients__dev-{role}__Secret", builder.AddSecret($"identity-client-dev-{role}-secret", infrastructure))
                .WithEnvironment($"Identity__Clients__dev-{role}__DisplayName", $"Development client {role}")
                .WithEnvironment($"Identity__Clients__dev-{role}__Roles__0", role);
        }

        foreach (var recipient in Processors)
        {
            identity
                .WithEnvironment($"Identity__Clients__{ProcessorClientId(recipient)}__Secret", builder.AddSecret(ProcessorClientSecretName(recipient), infrastructure))
                .WithEnvironment($"Identity__Clients__{ProcessorClientId(recipient)}__Recipient", recipient);
        }

        // The API reference's "Authorize" (gateway, /scalar): a public client, code flow with PKCE, back to the reference.
        identity
            .WithEnvironment("Identity__Clients__scalar__DisplayName", "API reference (Scalar)")
            .WithEnvironment("Identity__Clients__scalar__RedirectUris__0", ReferenceExpression.Create($"{issuer}/scalar/"));

        // The staff console (DESIGN §11): a confidential client, code flow with PKCE and refresh tokens, back to the
        // gateway's public address, where the console is routed.
        identity
            .WithEnvironment($"Identity__Clients__{ConsoleClientId}__Secret", consoleSecret)
            .WithEnvironment($"Identity__Clients__{ConsoleClientId}__DisplayName", "Staff console")
            .WithEnvironment($"Identity__Clients__{ConsoleClientId}__RedirectUris__0", ReferenceExpression.Create($"{issuer}/signin-oidc"))
            .WithEnvironment($"Identity__Clients__{ConsoleClientId}__PostLogoutRedirectUris__0", ReferenceExpression.Create($"{issuer}/signout-callback-oidc"));

        // Further clients and settings from the AppHost's own configuration (Identity:Clients:<id>:…), e.g. a test's.
        return identity.WithConfigurationSection(builder.Configuration, "Identity");
    }

    public const string ConsoleClientId = "console";

    /// <summary>Every value under <paramref name="section"/> of the AppHost's own configuration, in the resource's environment.</summary>
    public static IResourceBuilder<ProjectResource> WithConfigurationSection(
        this IResourceBuilder<ProjectResource> resource, IConfiguration configuration, string section)
    {
        foreach (var (key, value) in configuration.GetSection(section).AsEnumerable(makePathsRelative: false))
        {
            if (value is not null)
            {
                resource.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        return resource;
    }

    /// <summary>
    /// Tokens from the identity provider validated by this service: the issuer is the gateway's public address, the keys
    /// are read from the provider directly, so no service depends on the gateway to check a token.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTokenValidation(
        this IResourceBuilder<ProjectResource> service, EndpointReference issuer, IResourceBuilder<ProjectResource> identity) => service
        .WithEnvironment("Authentication__Authority", issuer)
        .WithEnvironment("Authentication__MetadataAddress",
            ReferenceExpression.Create($"{identity.GetEndpoint("http")}/.well-known/openid-configuration"));

    /// <summary>An access token of a development client (<c>dev-&lt;role&gt;</c>), asked for at the provider itself.</summary>
    public static async Task<string> DevelopmentTokenAsync(
        IDistributedApplicationBuilder builder, Uri identity, string role, CancellationToken cancellationToken)
    {
        var secret = builder.Resources.OfType<ParameterResource>().Single(p => p.Name == $"identity-client-dev-{role}-secret");
        using var http = new HttpClient { BaseAddress = identity, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = $"dev-{role}",
            ["client_secret"] = await secret.GetValueAsync(cancellationToken) ?? "",
            ["scope"] = "api",
        }), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var token = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return token.RootElement.GetProperty("access_token").GetString()!;
    }
}
