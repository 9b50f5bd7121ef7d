using Procexon.ServiceDefaults.Problems;

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

        holds.MapGet("/schedule", ListSchedule)
            .WithName("ListLegalHoldSchedule")
            .WithSummary("One page of the statutory holds of every subject, soonest to go first: the erasures the law has put off. "
                + "Filter by status (scheduled unless given), register, and until (the last day kept, inclusive); paged and counted in the database.");

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

    /// <summary>
    /// The schedule across subjects, for the officer who answers "what goes next, and what is still kept": it grows
    /// with every erasure that left data behind, so it is read a page at a time.
    /// </summary>
    public static async Task<Results<Ok<LegalHoldPageDto>, ValidationProblem>> ListSchedule(
        [AsParameters] LegalHoldScheduleQuery query, RetentionContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var status = LegalHoldStatus.Scheduled;
        if (query.Status is not null && !LegalHoldStatuses.TryParse(query.Status.Trim().ToLowerInvariant(), out status))
        {
            errors["status"] = [$"Unknown status. Use one of: {string.Join(", ", LegalHoldStatuses.All)}."];
        }

        var register = string.IsNullOrWhiteSpace(query.Register) ? null : query.Register.Trim();
        if (register is not null && !PlacedLegalHoldsApi.IsRegisterSlug(register))
        {
            errors["register"] = ["Give a register's slug (e.g. accounting-payroll)."];
        }

        var paging = Paging.Of(query.Page, query.PageSize, "holds", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is not valid.");
        }

        var holds = db.LegalHolds.AsNoTracking().Where(h => h.Status == status);
        if (register is not null)
        {
            holds = holds.Where(h => h.Register == register);
        }

        if (query.Until is { } until)
        {
            holds = holds.Where(h => h.RetainUntil <= until);
        }

        var total = await holds.CountAsync(cancellationToken);
        var found = await holds.OrderBy(h => h.RetainUntil).ThenBy(h => h.Id)
            .Skip(paging.Skip).Take(paging.Size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new LegalHoldPageDto(found.ConvertAll(LegalHoldDto.From), paging.Number, paging.Size, total));
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

/// <summary>What the schedule is filtered by; each is optional.</summary>
public sealed record LegalHoldScheduleQuery(string? Status, string? Register, DateOnly? Until, int? Page, int? PageSize);

/// <summary>A page of the schedule; <see cref="Total"/> counts the holds of every page under the filter.</summary>
public sealed record LegalHoldPageDto(IReadOnlyList<LegalHoldDto> Items, int Page, int PageSize, int Total);

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
