using System.Text.Json;
using Procexon.Contracts;
using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.Apis;

public static class RightsRequestsApi
{
    private static readonly string[] s_channels = ["web-form", "email", "letter", "phone", "in-person"];

    public static IEndpointRouteBuilder MapRightsRequestsApi(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/requests").WithTags("Rights requests");

        requests.MapPost("/", ReceiveRequest)
            .WithName("ReceiveRequest")
            .WithSummary("Records a data subject's request and starts its one-month answer period (GDPR Art 12(3)).");

        requests.MapGet("/{id:guid}", GetRequest).WithName("GetRequest").ProducesProblem(StatusCodes.Status404NotFound);

        requests.MapGet("/", ListRequests)
            .WithName("ListRequests")
            .WithSummary("Requests, soonest due first; filter by status.");

        return app;
    }

    public static async Task<Results<Created<RightsRequestDto>, ValidationProblem>> ReceiveRequest(
        ReceiveRequestBody body, RightsRequestsContext db, IEventOutbox outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var type = ParseEnum<RequestType>(body.Type, "type", errors);
        var channel = string.IsNullOrWhiteSpace(body.Channel) ? "web-form" : body.Channel.Trim().ToLowerInvariant();
        if (!s_channels.Contains(channel))
        {
            errors["channel"] = [$"Unknown channel. Use one of: {string.Join(", ", s_channels)}."];
        }

        if (body.Details is { Length: > 4000 })
        {
            errors["details"] = ["The details are longer than 4000 characters."];
        }

        var subject = ValidSubjectIdentifiers.Validate(body.Subject, "subject", errors);
        if (errors.Count > 0 || type is null || subject is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
        }

        var receivedAt = clock.GetUtcNow();
        var request = new RightsRequest
        {
            Id = Guid.CreateVersion7(),
            Type = type.Value,
            Status = RequestStatus.AwaitingVerification,
            Channel = channel,
            Details = body.Details,
            ReceivedAt = receivedAt,
            DueOn = AnswerPeriod.DueOn(receivedAt),
            Subject = new SubjectIdentifiers(
                subject.Name, subject.Email?.Value, subject.Phone?.Value, subject.Hetu?.Value,
                subject.BusinessId?.Value, subject.CustomerNumber?.Value),
        };
        db.Requests.Add(request);
        outbox.Add(new RightsRequestReceived(request.Id, ToKebab(request.Type), channel, receivedAt, request.DueOn));
        await db.SaveChangesAsync(cancellationToken);

        return TypedResults.Created($"/api/requests/{request.Id}", RightsRequestDto.From(request));
    }

    public static async Task<Results<Ok<RightsRequestDto>, ProblemHttpResult>> GetRequest(
        Guid id, RightsRequestsContext db, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return request is null
            ? TypedResults.Problem(title: "Unknown request", detail: $"There is no request {id}.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(RightsRequestDto.From(request));
    }

    public static async Task<Results<Ok<List<RightsRequestDto>>, ValidationProblem>> ListRequests(
        string? status, RightsRequestsContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var wanted = status is null ? null : ParseEnum<RequestStatus>(status, "status", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.Requests.AsNoTracking();
        if (wanted is not null)
        {
            query = query.Where(r => r.Status == wanted);
        }

        var requests = await query.OrderBy(r => r.DueOn).ThenBy(r => r.ReceivedAt).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(requests.ConvertAll(RightsRequestDto.From));
    }

    private static TEnum? ParseEnum<TEnum>(string? value, string field, Dictionary<string, string[]> errors) where TEnum : struct, Enum
    {
        var known = Enum.GetValues<TEnum>().Select(ToKebab).ToArray();
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"The {field} is required: one of {string.Join(", ", known)}."];
            return null;
        }

        var index = Array.IndexOf(known, value.Trim().ToLowerInvariant());
        if (index < 0)
        {
            errors[field] = [$"Unknown {field}. Use one of: {string.Join(", ", known)}."];
            return null;
        }

        return Enum.GetValues<TEnum>()[index];
    }

    internal static string ToKebab<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}

public sealed record ReceiveRequestBody(string? Type, SubjectIdentifiersInput? Subject, string? Channel, string? Details);

/// <summary>A request as staff see it. Identifiers are shown masked: the full values stay in the service.</summary>
public sealed record RightsRequestDto(
    Guid Id,
    string Type,
    string Status,
    string Channel,
    string? Details,
    DateTimeOffset ReceivedAt,
    DateOnly DueOn,
    DateTimeOffset DueAt)
{
    public static RightsRequestDto From(RightsRequest request) => new(
        request.Id,
        RightsRequestsApi.ToKebab(request.Type),
        RightsRequestsApi.ToKebab(request.Status),
        request.Channel,
        request.Details,
        request.ReceivedAt,
        request.DueOn,
        AnswerPeriod.EndOf(request.DueOn));
}
