using Yarp.ReverseProxy.Configuration;

namespace Procexon.Gateway.Extensions;

/// <summary>Which service owns which public path (DESIGN §5). Service names resolve through Aspire's service discovery.</summary>
public static class ServiceRoutes
{
    public static readonly IReadOnlyList<BackendService> Services =
    [
        new("registry", "Registry", ["/api/registers", "/api/subjects"]),
        new("rightsrequests", "Rights requests", ["/api/requests"]),
        new("retention", "Retention", ["/api/retention"]),
        new("disclosurelog", "Disclosure log", ["/api/recipients", "/api/disclosures", "/api/rectification-notifications"]),
    ];

    /// <summary>Single paths a service serves outside its prefixes: the web client's request form.</summary>
    public static readonly IReadOnlyList<ServicePath> Pages = [new("rightsrequests", "/requests/new")];

    /// <summary>Paths that exist only in Development: the mail sink that shows one-time codes. Elsewhere they are 404.</summary>
    public static readonly IReadOnlyList<ServicePath> DevelopmentPaths = [new("rightsrequests", "/api/mailbox")];

    public static IReadOnlyList<RouteConfig> Routes(bool development = false) =>
    [
        .. Services.SelectMany(service => service.PathPrefixes.Select((prefix, i) => new RouteConfig
        {
            RouteId = $"{service.Name}-{i}",
            ClusterId = service.Name,
            Match = new RouteMatch { Path = prefix + "/{**rest}" },
        })),
        // Each service's OpenAPI document, for the API reference: /openapi/registry.json → registry's /openapi/v1.json.
        .. Services.Select(service => new RouteConfig
        {
            RouteId = $"{service.Name}-openapi",
            ClusterId = service.Name,
            Match = new RouteMatch { Path = $"/openapi/{service.Name}.json" },
            Transforms = [new Dictionary<string, string> { ["PathSet"] = "/openapi/v1.json" }],
        }),
        .. Pages.Concat(development ? DevelopmentPaths : []).Select(page => new RouteConfig
        {
            RouteId = $"{page.Service}-{page.Path.Trim('/').Replace('/', '-')}",
            ClusterId = page.Service,
            Match = new RouteMatch { Path = page.Path },
        }),
    ];

    public static IReadOnlyList<ClusterConfig> Clusters() =>
    [
        .. Services.Select(service => new ClusterConfig
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

public sealed record ServicePath(string Service, string Path);
