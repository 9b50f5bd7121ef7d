using System.Text.Json.Nodes;

namespace Procexon.DisclosureLog.Apis;

/// <summary>
/// The JSON Schema of each webhook event type, public (DESIGN §10): a processor's developer reads them before holding
/// any token, and they say nothing about anyone's data.
/// </summary>
public static class WebhookSchemasApi
{
    public static IEndpointRouteBuilder MapWebhookSchemasApi(this IEndpointRouteBuilder app)
    {
        var schemas = app.MapGroup("/api/webhooks/schemas").WithTags("Webhooks").AllowAnonymous();

        schemas.MapGet("/", ListSchemas)
            .WithName("ListWebhookSchemas")
            .WithSummary("The CloudEvents types a webhook recipient receives, each with the path of its JSON Schema.");

        schemas.MapGet("/{type}", GetSchema)
            .WithName("GetWebhookSchema")
            .Produces<JsonObject>(StatusCodes.Status200OK, "application/schema+json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The JSON Schema (draft 2020-12) of one webhook event type, envelope and data.");

        return app;
    }

    public static Ok<List<WebhookSchemaDto>> ListSchemas() =>
        TypedResults.Ok(WebhookEventTypes.All.Select(t => new WebhookSchemaDto(t, $"/api/webhooks/schemas/{t}")).ToList());

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetSchema(string type, CancellationToken cancellationToken)
    {
        if (!WebhookEventTypes.All.Contains(type, StringComparer.Ordinal))
        {
            return TypedResults.Problem(
                title: "Unknown webhook event type",
                detail: $"There is no webhook event type '{type}'. Types: {string.Join(", ", WebhookEventTypes.All)}.",
                statusCode: StatusCodes.Status404NotFound,
                // Not "type": that member is the problem's own (RFC 9457).
                extensions: new Dictionary<string, object?> { ["eventType"] = type });
        }

        await using var stream = typeof(WebhookSchemasApi).Assembly.GetManifestResourceStream($"schemas/{type}.json")
            ?? throw new InvalidOperationException($"The embedded schema of {type} is missing.");
        using var reader = new StreamReader(stream);
        return TypedResults.Content(await reader.ReadToEndAsync(cancellationToken), "application/schema+json");
    }
}

public sealed record WebhookSchemaDto(string Type, string Schema);
