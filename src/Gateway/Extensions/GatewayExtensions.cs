using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
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
        foreach (var service in ServiceRoutes.Services)
        {
            health.Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
                service.Name,
                services => new BackendHealthCheck(services.GetRequiredService<IHttpClientFactory>(), service),
                failureStatus: null,
                tags: ["backend"]));
        }

        // A per-client ceiling: one runaway client must not starve the others.
        var permits = builder.Configuration.GetValue("Gateway:RequestsPerSecondPerClient", 2000);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromSeconds(1) }));
            limiter.OnRejected = (rejected, cancellationToken) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = "1";
                return new ValueTask(Results.Problem(
                    title: "Too many requests",
                    detail: string.Create(CultureInfo.InvariantCulture, $"More than {permits} requests a second from one client."),
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(rejected.HttpContext));
            };
        });
        return builder;
    }

    public static WebApplication UseGatewayPipeline(this WebApplication app)
    {
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseExceptionHandler();
        // Errors without a body (a service that is down: 502, 503, 504) become problem+json too.
        app.UseStatusCodePages();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapServiceRoutes(this WebApplication app)
    {
        app.MapReverseProxy();
        return app;
    }

    /// <summary>A browsable reference of every service's OpenAPI document at <c>/scalar</c>, in Development.</summary>
    public static WebApplication MapApiReference(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(options =>
            {
                options.WithTitle("Procexon privacy platform");
                foreach (var service in ServiceRoutes.Services)
                {
                    options.AddDocument(service.Name, service.Title, $"/openapi/{service.Name}.json");
                }
            });
        }

        return app;
    }

    /// <summary>Anything no route claims is a 404 problem, not an empty page.</summary>
    public static WebApplication MapUnknownRoutes(this WebApplication app)
    {
        app.MapFallback(UnknownRoute);
        return app;
    }

    private static ProblemHttpResult UnknownRoute(HttpContext context) => TypedResults.Problem(
        title: "Not found",
        detail: $"No resource at {context.Request.Method} {context.Request.Path}. The API lives under /api/.",
        statusCode: StatusCodes.Status404NotFound);
}
