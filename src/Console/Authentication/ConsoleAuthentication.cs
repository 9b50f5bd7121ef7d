using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Procexon.Console.Authentication;

/// <summary>
/// Staff sign in at the platform's identity provider (authorization code with PKCE, the console a confidential client);
/// the tokens stay in the server-side session and the browser holds one cookie naming it. Every page needs a signed-in
/// member of staff (DESIGN §10): that is the fallback policy, so a page nobody marked is closed.
/// </summary>
public static class ConsoleAuthentication
{
    /// <summary>Any staff role: the pages themselves show only what the user's role may do.</summary>
    public const string StaffPolicy = "console-staff";

    public const string CallbackPath = "/signin-oidc";
    public const string SignedOutCallbackPath = "/signout-callback-oidc";

    private static readonly string[] s_staff = [.. PlatformRoles.All.Where(r => r != PlatformRoles.Processor)];

    public static IHostApplicationBuilder AddConsoleAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section)
            .Validate(o => o.PublicAddress is { IsAbsoluteUri: true }, "Console:PublicAddress (the gateway's public address) is required.")
            .Validate(o => !string.IsNullOrEmpty(o.ClientSecret), "Console:ClientSecret is required.")
            .ValidateOnStart();
        builder.Services.AddOptions<PlatformAuthenticationOptions>().BindConfiguration(PlatformAuthenticationOptions.Section)
            .Validate(o => o.Authority is { IsAbsoluteUri: true }, "Authentication:Authority (the token issuer) is required.")
            .ValidateOnStart();

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect();
        builder.AddServerSideSessions();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<ConsoleOptions>>((cookie, console) => ConfigureCookie(cookie, console.Value));
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IOptions<ConsoleOptions>, IOptions<PlatformAuthenticationOptions>>((oidc, console, platform) =>
                ConfigureOpenIdConnect(oidc, console.Value, platform.Value));

        builder.Services.AddAuthorizationBuilder()
            .AddPlatformPolicies()
            .AddPolicy(StaffPolicy, p => p.RequireAuthenticatedUser().RequireRole(s_staff))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(s_staff).Build());
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<UserTokens>();
        return builder;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions cookie, ConsoleOptions console)
    {
        cookie.Cookie.Name = "procexon.console";
        cookie.Cookie.HttpOnly = true;
        // Lax, not Strict: the identity provider's redirect back to the console is a top-level navigation that must carry it.
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = SecurePolicy(console);
        cookie.ExpireTimeSpan = console.SessionIdleTimeout;
        cookie.SlidingExpiration = true;
        // Signed in but without a staff role: a plain 403, not a redirect to a page that does not exist.
        cookie.Events.OnRedirectToAccessDenied = context =>
            TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context.HttpContext);
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions oidc, ConsoleOptions console, PlatformAuthenticationOptions platform)
    {
        if (platform.Authority is not { } authority || console.PublicAddress is not { } publicAddress)
        {
            return;
        }

        oidc.Authority = authority.AbsoluteUri;
        oidc.RequireHttpsMetadata = authority.Scheme == Uri.UriSchemeHttps;
        if (platform.MetadataAddress is { } metadata)
        {
            var documents = new HttpDocumentRetriever(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }) { RequireHttps = oidc.RequireHttpsMetadata };
            oidc.ConfigurationManager = new BrowserFacingConfiguration(
                new ConfigurationManager<OpenIdConnectConfiguration>(metadata.AbsoluteUri, new OpenIdConnectConfigurationRetriever(), documents),
                new Uri(metadata.GetLeftPart(UriPartial.Authority) + "/"),
                authority);
        }

        oidc.ClientId = console.ClientId;
        oidc.ClientSecret = console.ClientSecret;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        // The code comes back in the query: the provider's pages allow no inline script, which a form_post answer needs.
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile", "roles", "api", "offline_access" })
        {
            oidc.Scope.Add(scope);
        }

        // Kept in the server-side session (ServerSideSessions), never in the cookie.
        oidc.SaveTokens = true;
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.TokenValidationParameters.NameClaimType = platform.NameClaim;
        oidc.TokenValidationParameters.RoleClaimType = platform.RoleClaim;
        oidc.CallbackPath = CallbackPath;
        oidc.SignedOutCallbackPath = SignedOutCallbackPath;
        oidc.SignedOutRedirectUri = AccountEndpoints.SignedOutPath;
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.CorrelationCookie.SecurePolicy = SecurePolicy(console);
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SecurePolicy = SecurePolicy(console);

        // The console sits behind the gateway: the provider sends the browser back to the gateway's public address,
        // not to the address the console itself listens on.
        var redirectUri = new Uri(publicAddress, CallbackPath).AbsoluteUri;
        var postLogoutRedirectUri = new Uri(publicAddress, SignedOutCallbackPath).AbsoluteUri;
        oidc.Events.OnRedirectToIdentityProvider = async context =>
        {
            // Only a page a person navigates to is sent to the login; a script, the circuit's connection or an API
            // client is told 401, as the gateway tells any caller without credentials.
            if (!AcceptsHtml(context.Request))
            {
                context.HandleResponse();
                await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context.HttpContext);
                return;
            }

            context.ProtocolMessage.RedirectUri = redirectUri;
        };
        oidc.Events.OnRedirectToIdentityProviderForSignOut = context =>
        {
            context.ProtocolMessage.PostLogoutRedirectUri = postLogoutRedirectUri;
            // The server-side session is already gone when the handler would look for the id token itself.
            if (context.HttpContext.Items[AccountEndpoints.IdTokenHintItem] is string idToken)
            {
                context.ProtocolMessage.IdTokenHint = idToken;
            }

            return Task.CompletedTask;
        };
        // The code is redeemed with the same redirect URI the browser was sent with.
        oidc.Events.OnAuthorizationCodeReceived = context =>
        {
            context.TokenEndpointRequest!.RedirectUri = redirectUri;
            return Task.CompletedTask;
        };
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(accept => accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    // Over HTTPS in a deployment (the gateway's public address says so), plain HTTP on a developer's loopback.
    private static CookieSecurePolicy SecurePolicy(ConsoleOptions console) =>
        console.PublicAddress?.Scheme == Uri.UriSchemeHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
}
