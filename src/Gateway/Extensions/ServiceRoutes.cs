using Yarp.ReverseProxy.Configuration;

namespace Procexon.Gateway.Extensions;

/// <summary>
/// Which service owns which public path (DESIGN §5), and who may reach it (DESIGN §10): every route names a policy.
/// Service names resolve through Aspire's service discovery. The services check the precise policy again.
/// </summary>
public static class ServiceRoutes
{
    public static readonly IReadOnlyList<BackendService> Services =
    [
        // Each service also answers for its own failed messages under /api/operations/{service}.
        new("registry", "Registry", ["/api/registers", "/api/subjects", "/api/operations/registry"]),
        new("rightsrequests", "Rights requests", ["/api/requests", "/api/operations/rightsrequests"]),
        new("retention", "Retention", ["/api/retention", "/api/operations/retention"]),
        new("disclosurelog", "Disclosure log", ["/api/recipients", "/api/disclosures", "/api/webhooks", "/api/operations/disclosurelog"]),
    ];

    /// <summary>The identity provider: its protocol endpoints, discovery and keys, and its login pages.</summary>
    public static readonly BackendService IdentityProvider = new("identity", "Identity", ["/connect", "/.well-known", "/account"]);

    /// <summary>
    /// The staff console (DESIGN §11): its pages, its circuit (<c>/_blazor</c>), its files and its sign-in callbacks are
    /// every path no other route claims, for a browser. Not in <see cref="Services"/>: it owns no API and no OpenAPI document.
    /// </summary>
    public static readonly BackendService Console = new("console", "Staff console", ["/"]);

    /// <summary>
    /// The public ones of DESIGN §10 (the request form and its POST, the subject's own code steps and the answer by its
    /// secret link, the public privacy notice, the webhook event schemas, an e-mail recipient's confirmation link), the recipients' notices, which processors reach with their tokens, and
    /// the subject search with its own rate limit.
    /// Matched before the prefixes above, which ask for staff.
    /// </summary>
    public static readonly IReadOnlyList<ServicePath> Paths =
    [
        // The request form is a page of the console, open to all; its scripts and styles come by the console's own route,
        // open too. The form's script calls the three routes below from the requester's browser.
        new("console", "/requests/new", GatewayPolicies.Public, ["GET"]),
        new("rightsrequests", "/api/requests", GatewayPolicies.Public, ["POST"], GatewayPolicies.PublicIntake),
        new("rightsrequests", "/api/requests/{id}/verification-code", GatewayPolicies.Public, ["POST"], GatewayPolicies.PublicIntake),
        new("rightsrequests", "/api/requests/{id}/verification", GatewayPolicies.Public, ["POST"], GatewayPolicies.PublicIntake),
        new("rightsrequests", "/api/requests/{id}/answer", GatewayPolicies.Public, ["GET"]),
        new("rightsrequests", "/api/requests/{id}/export", GatewayPolicies.Public, ["GET"]),
        new("registry", "/api/registers/notice", GatewayPolicies.Public, ["GET"]),
        // What a processor's developer reads before holding any token: the JSON Schema of each webhook event type.
        new("disclosurelog", "/api/webhooks/schemas/{**rest}", GatewayPolicies.Public, ["GET"]),
        // An e-mail recipient's one-time confirmation link: the token in it is the credential (GET shows, POST confirms).
        new("disclosurelog", "/api/disclosures/notifications/{id}/confirmation-link", GatewayPolicies.Public, ["GET", "POST"], GatewayPolicies.PublicIntake),
        // Staff only, like the rest of /api/subjects, but with a ceiling per caller: each search tells whether someone is
        // in the registers, and a script walking identity codes should be stopped, not merely recorded.
        new("registry", "/api/subjects/search", GatewayPolicies.Staff, ["POST"], GatewayPolicies.SubjectSearch),
        new("disclosurelog", "/api/disclosures/notifications/{**rest}", GatewayPolicies.StaffOrProcessor),
        new("disclosurelog", "/api/rectification-notifications/{**rest}", GatewayPolicies.StaffOrProcessor),
        new("disclosurelog", "/api/restriction-notifications/{**rest}", GatewayPolicies.StaffOrProcessor),
    ];

    public static IReadOnlyList<RouteConfig> Routes(bool development = false) =>
    [
        .. Services.SelectMany(service => service.PathPrefixes.Select((prefix, i) => new RouteConfig
        {
            RouteId = $"{service.Name}-{i}",
            ClusterId = service.Name,
            Match = new RouteMatch { Path = prefix + "/{**rest}" },
            AuthorizationPolicy = GatewayPolicies.Staff,
        })),
        .. IdentityProvider.PathPrefixes.Select((prefix, i) => new RouteConfig
        {
            RouteId = $"{IdentityProvider.Name}-{i}",
            ClusterId = IdentityProvider.Name,
            Match = new RouteMatch { Path = prefix + "/{**rest}" },
            AuthorizationPolicy = GatewayPolicies.Public,
            RateLimiterPolicy = GatewayPolicies.PublicIntake,
        }),
        // Each service's OpenAPI document, for the API reference: /openapi/registry.json → registry's /openapi/v1.json.
        .. Services.Select(service => new RouteConfig
        {
            RouteId = $"{service.Name}-openapi",
            ClusterId = service.Name,
            Match = new RouteMatch { Path = $"/openapi/{service.Name}.json" },
            Transforms = [new Dictionary<string, string> { ["PathSet"] = "/openapi/v1.json" }],
            AuthorizationPolicy = development ? GatewayPolicies.Public : GatewayPolicies.Staff,
        }),
        .. Paths.Select((path, i) => new RouteConfig
        {
            RouteId = $"{path.Service}-path-{i}",
            ClusterId = path.Service,
            // Before the service's prefix route, whatever ASP.NET's own precedence would say.
            Order = -1,
            Match = new RouteMatch { Path = path.Path, Methods = path.Methods },
            AuthorizationPolicy = path.Policy,
            RateLimiterPolicy = path.RateLimiterPolicy,
        }),
        ConsoleRoute,
    ];

    /// <summary>
    /// The console, after every other route (and before the gateway's own 404), for callers without an
    /// <c>Authorization</c> header: browsers, which the console signs in with its own cookie. A caller with a token is an
    /// API client, and a path no route claims stays the gateway's 404 problem for it.
    /// The gateway lets the request through (<see cref="GatewayPolicies.ConsoleSession"/>): it cannot read the console's
    /// session, which is sealed with the console's own keys. The console closes every page but its sign-in steps to
    /// anyone without a staff role, and everything it shows it reads through the API routes above with the user's
    /// token, checked here as any other caller's.
    /// </summary>
    public static RouteConfig ConsoleRoute => new()
    {
        RouteId = Console.Name,
        ClusterId = Console.Name,
        Order = int.MaxValue - 1,
        Match = new RouteMatch
        {
            Path = "/{**rest}",
            Headers = [new RouteHeader { Name = "Authorization", Mode = HeaderMatchMode.NotExists }],
        },
        AuthorizationPolicy = GatewayPolicies.ConsoleSession,
    };

    public static IReadOnlyList<ClusterConfig> Clusters() =>
    [
        .. Services.Append(IdentityProvider).Append(Console).Select(service => new ClusterConfig
        {
            ClusterId = service.Name,
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [service.Name] = new() { Address = $"http://{service.Name}" },
            },
        }),
    ];
}

public sealed record BackendService(string Name, string Title, IReadOnlyList<string> PathPrefixes);

public sealed record ServicePath(
    string Service, string Path, string Policy, IReadOnlyList<string>? Methods = null, string? RateLimiterPolicy = null);
