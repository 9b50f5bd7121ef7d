using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Procexon.ServiceDefaults.Security;

/// <summary>
/// Where access tokens come from (section <c>Authentication</c>): <c>Authority</c> is the issuer the tokens name
/// (the platform's own provider behind the gateway, or any OIDC authority such as Entra ID or Keycloak),
/// <c>Audience</c> the API they must be for, <c>RoleClaim</c> the claim that carries roles. <c>MetadataAddress</c>,
/// when set, is where this service reads the issuer's discovery document and keys instead of the public address
/// (the built-in provider, reached inside the platform without a round trip through the gateway).
/// </summary>
public sealed class PlatformAuthenticationOptions
{
    public const string Section = "Authentication";

    public Uri? Authority { get; set; }

    public Uri? MetadataAddress { get; set; }

    public string Audience { get; set; } = "procexon-api";

    public string RoleClaim { get; set; } = PlatformClaims.Role;

    public string NameClaim { get; set; } = PlatformClaims.Name;
}

public static class AuthenticationExtensions
{
    /// <summary>
    /// Bearer tokens validated here (issuer, audience, signature, lifetime), the platform's policies, and a fallback
    /// policy that closes every endpoint nobody opened. A service without an authority does not start: closed, not open.
    /// </summary>
    public static TBuilder AddDefaultAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<PlatformAuthenticationOptions>()
            .BindConfiguration(PlatformAuthenticationOptions.Section)
            .Validate(o => o.Authority is { IsAbsoluteUri: true }, "Authentication:Authority (the token issuer) is required.")
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<PlatformAuthenticationOptions>, IHttpClientFactory>((jwt, platform, clients) =>
                Configure(jwt, platform.Value, clients));
        builder.Services.AddAuthorizationBuilder().AddPlatformPolicies();
        return builder;
    }

    /// <summary>
    /// 401 and 403 as problem+json (the authentication handler writes only the status), then who the caller is and
    /// what they may do. Before every endpoint.
    /// </summary>
    public static WebApplication UseDefaultAuthentication(this WebApplication app)
    {
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static void Configure(JwtBearerOptions jwt, PlatformAuthenticationOptions platform, IHttpClientFactory clients)
    {
        if (platform.Authority is null)
        {
            return;
        }

        var issuer = platform.Authority.AbsoluteUri;
        jwt.Authority = issuer;
        jwt.Audience = platform.Audience;
        jwt.MapInboundClaims = false;
        // Loopback in development; in a deployment TLS ends in front of the gateway and the authority is https.
        jwt.RequireHttpsMetadata = platform.Authority.Scheme == Uri.UriSchemeHttps;
        jwt.TokenValidationParameters.ValidIssuers = [issuer, issuer.TrimEnd('/')];
        jwt.TokenValidationParameters.RoleClaimType = platform.RoleClaim;
        jwt.TokenValidationParameters.NameClaimType = platform.NameClaim;
        // Tokens live ten minutes: five minutes of clock skew would be half as long again.
        jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
        if (platform.MetadataAddress is { } metadata)
        {
            var internalBase = new Uri(metadata.GetLeftPart(UriPartial.Authority) + "/");
            var documents = new InternalDocumentRetriever(clients.CreateClient(nameof(InternalDocumentRetriever)), platform.Authority, internalBase);
            jwt.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                metadata.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), documents);
        }
    }

    /// <summary>The caller as the audit trail records them: display name and id, from the token only.</summary>
    public static string Actor(this ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(PlatformClaims.Subject) ?? user.FindFirstValue(PlatformClaims.ClientId) ?? "unknown";
        var name = user.FindFirstValue(PlatformClaims.Name);
        var actor = string.IsNullOrWhiteSpace(name) || name == id ? id : $"{name} ({id})";
        return actor.Length <= 200 ? actor : actor[..200];
    }

    /// <summary>The recipient a processor's token speaks for; null for staff.</summary>
    public static string? Recipient(this ClaimsPrincipal user) =>
        user.IsInRole(PlatformRoles.Processor) ? user.FindFirstValue(PlatformClaims.Recipient) : null;

    /// <summary>Whether the caller is a processor limited to its own recipient's data.</summary>
    public static bool IsProcessorOnly(this ClaimsPrincipal user) =>
        user.IsInRole(PlatformRoles.Processor) && !PlatformRoles.All.Any(r => r != PlatformRoles.Processor && user.IsInRole(r));

    public static async Task<bool> MayAsync(this IAuthorizationService authorization, ClaimsPrincipal user, string policy) =>
        (await authorization.AuthorizeAsync(user, policy)).Succeeded;
}

/// <summary>
/// Reads the issuer's discovery document and keys at the address inside the platform: addresses under the public
/// issuer are rewritten to the internal base, so a service validates tokens without depending on the gateway.
/// </summary>
internal sealed class InternalDocumentRetriever(HttpClient http, Uri publicBase, Uri internalBase) : IDocumentRetriever
{
    private readonly HttpDocumentRetriever _inner = new(http) { RequireHttps = false };

    public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        var prefix = publicBase.AbsoluteUri.TrimEnd('/');
        var rewritten = address.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            ? new Uri(internalBase, address[prefix.Length..].TrimStart('/')).AbsoluteUri
            : address;
        return _inner.GetDocumentAsync(rewritten, cancel);
    }
}
