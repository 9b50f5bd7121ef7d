using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class OpenApiExtensions
{
    /// <summary>
    /// The service's OpenAPI document at <c>/openapi/v1.json</c>. It names no server: clients reach the services through
    /// the gateway, so the reference there calls the gateway's own origin rather than the service's private address.
    /// </summary>
    public static IHostApplicationBuilder AddServiceOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Servers = [];
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>
    /// The document, open in Development for the API reference, and behind the fallback policy (a signed-in caller)
    /// anywhere else: a full map of the API is no one's business but the platform's users'.
    /// </summary>
    public static WebApplication MapServiceOpenApi(this WebApplication app)
    {
        var document = app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            document.AllowAnonymous();
        }

        return app;
    }
}
