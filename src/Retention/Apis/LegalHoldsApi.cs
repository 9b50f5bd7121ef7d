namespace Procexon.Retention.Apis;

public static class LegalHoldsApi
{
    public static IEndpointRouteBuilder MapLegalHoldsApi(this IEndpointRouteBuilder app)
    {
        var holds = app.MapGroup("/api/retention/holds").WithTags("Legal holds")
            .RequireAuthorization(Policies.ReadRetention);

        holds.MapGet("/", ListHolds)
            .WithName("ListLegalHolds")
            .WithSummary("A subject's legal holds (scheduled erasures of data kept under law), soonest to go first; filter by status.");

        // ProblemHttpResult carries no status of its own, so the 404 is declared for the OpenAPI document.
        holds.MapGet("/{id:guid}", GetHold)
            .WithName("GetLegalHold")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One legal hold: what is kept, under which law, until when, and whether it has been erased.");

        return app;
    }

    public static async Task<Results<Ok<List<LegalHoldDto>>, ValidationProblem>> ListHolds(
        string? subject, string? status, RetentionContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(subject))
        {
            errors["subject"] = ["The subject is required: give the subject's id (GET /api/subjects finds it)."];
        }
        else if (!Guid.TryParse(subject, out _))
        {
            errors["subject"] = ["The subject must be a subject id (a GUID)."];
        }

        LegalHoldStatus? wanted = null;
        if (status is not null)
        {
            if (LegalHoldStatuses.TryParse(status.Trim().ToLowerInvariant(), out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors["status"] = [$"Unknown status. Use one of: {string.Join(", ", LegalHoldStatuses.All)}."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is not valid.");
        }

        var subjectId = Guid.Parse(subject!);
        var query = db.LegalHolds.AsNoTracking().Where(h => h.SubjectId == subjectId);
        if (wanted is { } only)
        {
            query = query.Where(h => h.Status == only);
        }

        var found = await query.OrderBy(h => h.RetainUntil).ThenBy(h => h.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(found.ConvertAll(LegalHoldDto.From));
    }

    public static async Task<Results<Ok<LegalHoldDto>, ProblemHttpResult>> GetHold(
        Guid id, RetentionContext db, CancellationToken cancellationToken)
    {
        var found = await db.LegalHolds.AsNoTracking().SingleOrDefaultAsync(h => h.Id == id, cancellationToken);
        if (found is null)
        {
            return TypedResults.Problem(
                title: "Unknown legal hold",
                detail: $"There is no legal hold {id}. GET /api/retention/holds?subject={{id}} lists a subject's holds.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["id"] = id });
        }

        return TypedResults.Ok(LegalHoldDto.From(found));
    }
}

/// <summary>A legal hold as staff and the answer to the subject see it.</summary>
public sealed record LegalHoldDto(
    Guid Id,
    Guid SubjectId,
    string Register,
    string RetentionRule,
    string Category,
    LocalizedText Statute,
    DateOnly RetainUntil,
    string Status,
    Guid RequestId,
    int Records,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReleasedAt,
    DateTimeOffset? ErasedAt)
{
    public static LegalHoldDto From(LegalHold hold) => new(
        hold.Id,
        hold.SubjectId,
        hold.Register,
        hold.RetentionRule,
        hold.Category,
        new LocalizedText(hold.StatuteFi, hold.StatuteEn),
        hold.RetainUntil,
        LegalHoldStatuses.Name(hold.Status),
        hold.RequestId,
        hold.Records,
        hold.CreatedAt,
        hold.ReleasedAt,
        hold.ErasedAt);
}
