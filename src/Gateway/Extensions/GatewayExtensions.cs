using Microsoft.AspNetCore.Http.HttpResults;
using Procexon.ServiceDefaults.Security;
using Scalar.AspNetCore;

namespace Procexon.Gateway.Extensions;

public static class GatewayExtensions
{
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddReverseProxy()
            .LoadFromMemory(ServiceRoutes.Routes(builder.Environment.IsDevelopment()), ServiceRoutes.Clusters())
            .AddServiceDiscoveryDestinationResolver();

        var health = builder.Services.AddHealthChecks();
        foreach (var service in ServiceRoutes.Services.Append(ServiceRoutes.IdentityProvider).Append(ServiceRoutes.Console))
        {
            health.Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
                service.Name,
                services => new BackendHealthCheck(services.GetRequiredService<IHttpClientFactory>(), service),
                failureStatus: null,
                tags: ["backend"]));
        }

        builder.AddGatewayAuthorization();
        builder.AddGatewayRateLimits();
        return builder;
    }

    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseExceptionHandler();
        // Errors without a body (a service that is down: 502, 503, 504; 401 and 403) become problem+json too.
        app.UseDefaultAuthentication();
        // After authentication: the limits count per caller, and the public routes' lower one only for anonymous ones.
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapServiceRoutes(this WebApplication app)
    {
        app.MapReverseProxy();
        return app;
    }

    /// <summary>The identity provider's public client for the API reference (seeded by the AppHost in development).</summary>
    public const string ScalarClientId = "scalar";

    /// <summary>A browsable reference of every service's OpenAPI document at <c>/scalar</c>, in Development.</summary>
    public static WebApplication MapApiReference(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            // "Authorize" signs in at the platform's provider as a person would: code flow with PKCE, public client.
            var authority = new Uri(app.Configuration[$"{PlatformAuthenticationOptions.Section}:Authority"]
                ?? throw new InvalidOperationException("Authentication:Authority is required."));
            app.MapScalarApiReference(options =>
            {
                options.WithTitle("Procexon privacy platform")
                    .AddPreferredSecuritySchemes([OpenApiExtensions.SecurityScheme])
                    .AddAuthorizationCodeFlow(OpenApiExtensions.SecurityScheme, flow => flow
                        .WithClientId(ScalarClientId)
                        .WithPkce(Pkce.Sha256)
                        .WithAuthorizationUrl(new Uri(authority, "connect/authorize").AbsoluteUri)
                        .WithTokenUrl(new Uri(authority, "connect/token").AbsoluteUri)
                        .WithRedirectUri(new Uri(authority, "scalar/").AbsoluteUri)
                        .WithSelectedScopes(["openid", "api"]));
                foreach (var service in ServiceRoutes.Services)
                {
                    options.AddDocument(service.Name, service.Title, $"/openapi/{service.Name}.json");
                }
            }).AllowAnonymous();
        }

        return app;
    }

    /// <summary>Anything no route claims is a 404 problem, not an empty page.</summary>
    public static WebApplication MapUnknownRoutes(this WebApplication app)
    {
        // Behind the fallback policy like everything else: only a signed-in caller learns which paths do not exist.
        app.MapFallback(UnknownRoute);
        return app;
    }

    private static ProblemHttpResult UnknownRoute(HttpContext context) => TypedResults.Problem(
        title: "Not found",
        detail: $"No resource at {context.Request.Method} {context.Request.Path}. The API lives under /api/.",
        statusCode: StatusCodes.Status404NotFound);
}
