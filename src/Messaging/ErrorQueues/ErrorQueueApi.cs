using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Procexon.Messaging.ErrorQueues;

/// <summary>
/// The operator's view of a service's failed messages, under <c>/api/operations/{service}/error-messages</c> (the
/// gateway routes each service's own): list them with their fault, and replay one by its message id.
/// </summary>
public static class ErrorQueueApi
{
    public static string PathOf(string service) => $"/api/operations/{service}/error-messages";

    public static IEndpointRouteBuilder MapErrorQueueApi(this IEndpointRouteBuilder app, string service, string policy)
    {
        var errors = app.MapGroup(PathOf(service)).WithTags("Operations").RequireAuthorization(policy);
        errors.MapGet("/", ListFailedMessages)
            .WithName($"List{Pascal(service)}FailedMessages")
            .WithSummary("Messages that failed every retry and wait in this service's error queues, with the fault (type, message, when); the bodies are not shown.");
        errors.MapPost("/{messageId:guid}/replay", ReplayFailedMessage)
            .WithName($"Replay{Pascal(service)}FailedMessage")
            .WithSummary("Sends one failed message back to the queue it failed on, once the fault is mended; it applies once. 404 when no error queue holds it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<FailedMessage>>> ListFailedMessages(ErrorQueues queues, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queues.ListAsync(ErrorQueues.MaxListed, cancellationToken));

    public static async Task<Results<Accepted, ProblemHttpResult>> ReplayFailedMessage(
        Guid messageId, ErrorQueues queues, CancellationToken cancellationToken) =>
        await queues.ReplayAsync(messageId, cancellationToken)
            ? TypedResults.Accepted((string?)null)
            : TypedResults.Problem(
                title: "No such failed message",
                detail: $"No error queue of this service holds message {messageId}: it was replayed already, or never failed here.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["messageId"] = messageId });

    private static string Pascal(string service) => string.Concat(service.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
