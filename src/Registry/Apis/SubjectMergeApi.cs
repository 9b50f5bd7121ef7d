using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Npgsql;
using Procexon.Messaging.Outbox;

namespace Procexon.Registry.Apis;

/// <summary>
/// Merging two subjects that turn out to be one person: <c>POST /api/subjects/{id}/merge</c> with the duplicate's id
/// moves the duplicate's records to <c>{id}</c>, unites the identifiers and keeps the history, in one transaction, and
/// announces it (<see cref="SubjectsMerged"/>) so that the services keeping the duplicate's id re-point it.
/// </summary>
public static class SubjectMergeApi
{
    public static IEndpointRouteBuilder MapSubjectMergeApi(this IEndpointRouteBuilder app)
    {
        var manage = app.MapGroup("/api/subjects").WithTags("Subjects").RequireAuthorization(Policies.ManageSubjects);
        var subjects = app.MapGroup("/api/subjects").WithTags("Subjects").RequireAuthorization(Policies.ReadSubjects);

        manage.MapPost("/{id:guid}/merge", MergeSubject)
            .WithName("MergeSubject")
            .WithSummary("Merges the duplicate subject (duplicateId) into this one: records move, identifiers unite, the merge is recorded as the caller's.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        subjects.MapGet("/{id:guid}/merges", ListMerges)
            .WithName("ListSubjectMerges")
            .WithSummary("The subjects merged into this one: from, who, when, why, what moved.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Created<SubjectMergeDto>, ValidationProblem, ProblemHttpResult>> MergeSubject(
        Guid id, SubjectMergeBody body, ClaimsPrincipal user, RegistryContext db, IEventOutbox outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = body.Validate(id);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The merge is not valid.");
        }

        var duplicateId = body.DuplicateId!.Value;
        var mergedBy = user.Actor();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async Task<Results<Created<SubjectMergeDto>, ValidationProblem, ProblemHttpResult>> (ct) =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Both rows locked in id order: a concurrent merge, erasure or record of either waits for this one.
            var locked = await SubjectErasure.LockSubjectsAsync(db, [id, duplicateId], ct);
            var into = locked.SingleOrDefault(s => s.Id == id);
            var duplicate = locked.SingleOrDefault(s => s.Id == duplicateId);
            if (into is null)
            {
                return await MovedOrNotFoundAsync(db, id, "id", ct);
            }

            if (duplicate is null)
            {
                return await MovedOrNotFoundAsync(db, duplicateId, "duplicateId", ct);
            }

            var union = SubjectMerging.Unite(into, duplicate);
            if (union.ConflictField is { } field)
            {
                return SubjectProblems.MergeConflict(field, duplicateId);
            }

            var moved = await db.Records.Where(r => r.SubjectId == duplicateId)
                .GroupBy(r => r.Register).Select(g => new { Register = g.Key, Count = g.Count() }).ToListAsync(ct);
            await db.Records.Where(r => r.SubjectId == duplicateId).ExecuteUpdateAsync(r => r.SetProperty(x => x.SubjectId, id), ct);
            await db.SubjectAliases.Where(a => a.SubjectId == duplicateId).ExecuteUpdateAsync(a => a.SetProperty(x => x.SubjectId, id), ct);
            // A legal hold on the duplicate keeps the same person's data: it covers the survivor now (Retention moves its own copy).
            await db.Set<LegalHoldInForce>().Where(h => h.SubjectId == duplicateId).ExecuteUpdateAsync(h => h.SetProperty(x => x.SubjectId, id), ct);
            // The duplicate's corrected identifiers are the survivor's history now.
            await db.SubjectIdentifierCorrections.Where(c => c.SubjectId == duplicateId).ExecuteUpdateAsync(c => c.SetProperty(x => x.SubjectId, id), ct);

            // The duplicate goes first, so the identifiers it held are free for the survivor within the transaction.
            db.Subjects.Remove(duplicate);
            await db.SaveChangesAsync(ct);

            var merge = new SubjectMerge
            {
                Id = Guid.CreateVersion7(),
                FromSubjectId = duplicateId,
                IntoSubjectId = id,
                MergedBy = mergedBy,
                Reason = body.Reason!.Trim(),
                MergedAt = clock.GetUtcNow(),
                RecordsMoved = moved.Sum(m => m.Count),
                MovedPerRegister = moved.ToDictionary(m => m.Register, m => m.Count),
                IdentifiersTaken = [.. union.Taken],
            };
            db.SubjectMerges.Add(merge);
            // In the merge's own transaction: the other services hear of it if and only if it commits.
            outbox.Add(new SubjectsMerged(merge.Id, duplicateId, id, merge.MergedAt));
            if (union.CustomerNumberAlias is { } alias)
            {
                db.SubjectAliases.Add(new SubjectAlias
                {
                    KeyHash = db.Protection.Hash(IdentifierKind.CustomerNumber, alias),
                    CustomerNumber = alias,
                    Kind = "customer-number",
                    SubjectId = id,
                    MergeId = merge.Id,
                });
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // A third subject took one of the united identifiers meanwhile: nothing of the merge stays.
                return SubjectProblems.MergeConflict("subject", duplicateId);
            }

            await transaction.CommitAsync(ct);
            var heldIn = await SubjectLookup.RegistersHoldingAsync(db, [id], ct);
            return TypedResults.Created($"/api/subjects/{id}/merges/{merge.Id}", SubjectMergeDto.From(merge, SubjectDto.From(into, heldIn.GetValueOrDefault(id, []))));
        }, cancellationToken);
    }

    public static async Task<Results<Ok<List<SubjectMergeDto>>, ProblemHttpResult>> ListMerges(Guid id, RegistryContext db, CancellationToken cancellationToken)
    {
        if (!await db.Subjects.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return SubjectProblems.NotFound(id);
        }

        var merges = await db.SubjectMerges.AsNoTracking().Where(m => m.IntoSubjectId == id).OrderBy(m => m.MergedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(merges.ConvertAll(m => SubjectMergeDto.From(m, null)));
    }

    /// <summary>Where a subject merged away went, if it was merged; null if it never existed or was erased.</summary>
    public static Task<SubjectMerge?> WhereMergedAsync(RegistryContext db, Guid id, CancellationToken cancellationToken) =>
        db.SubjectMerges.AsNoTracking().SingleOrDefaultAsync(m => m.FromSubjectId == id, cancellationToken);

    private static async Task<ProblemHttpResult> MovedOrNotFoundAsync(RegistryContext db, Guid id, string field, CancellationToken cancellationToken) =>
        await WhereMergedAsync(db, id, cancellationToken) is { } earlier
            ? SubjectProblems.AlreadyMerged(field, id, earlier.IntoSubjectId)
            : SubjectProblems.NotFound(id, field);
}

/// <summary>Which subject is the duplicate and why; who merges comes from the caller's token, never from the body.</summary>
public sealed record SubjectMergeBody(Guid? DuplicateId, string? Reason)
{
    public const int MaxReasonLength = 2000;

    public Dictionary<string, string[]> Validate(Guid id)
    {
        var errors = new Dictionary<string, string[]>();
        if (DuplicateId is not { } duplicate || duplicate == Guid.Empty)
        {
            errors["duplicateId"] = ["Give the id of the subject to merge into this one."];
        }
        else if (duplicate == id)
        {
            errors["duplicateId"] = ["A subject cannot be merged into itself."];
        }

        if (string.IsNullOrWhiteSpace(Reason) || Reason.Trim().Length > MaxReasonLength)
        {
            errors["reason"] = [$"Say why the two are one person (1–{MaxReasonLength} characters)."];
        }

        return errors;
    }
}

/// <summary>A merge as recorded. Names fields, never their values.</summary>
public sealed record SubjectMergeDto(
    Guid Id,
    Guid MergedFrom,
    Guid MergedInto,
    string MergedBy,
    string Reason,
    DateTimeOffset MergedAt,
    int RecordsMoved,
    IReadOnlyDictionary<string, int> MovedPerRegister,
    IReadOnlyList<string> IdentifiersTaken,
    SubjectDto? Subject)
{
    public static SubjectMergeDto From(SubjectMerge merge, SubjectDto? subject) => new(
        merge.Id, merge.FromSubjectId, merge.IntoSubjectId, merge.MergedBy, merge.Reason, merge.MergedAt,
        merge.RecordsMoved, merge.MovedPerRegister, merge.IdentifiersTaken, subject);
}

/// <summary>A subject merged away: where it went.</summary>
public sealed record SubjectMovedDto(Guid Id, Guid MergedInto, DateTimeOffset MergedAt, string Location);

/// <summary>
/// 301 Moved Permanently to the subject a duplicate was merged into, with a body saying so (<c>mergedInto</c>), for
/// clients that do not follow redirects.
/// </summary>
public sealed class SubjectMoved(SubjectMerge merge) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<SubjectMovedDto>, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status301MovedPermanently;

    public SubjectMovedDto Value { get; } = new(merge.FromSubjectId, merge.IntoSubjectId, merge.MergedAt, $"/api/subjects/{merge.IntoSubjectId}");

    object? IValueHttpResult.Value => Value;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status301MovedPermanently;
        httpContext.Response.Headers.Location = Value.Location;
        return httpContext.Response.WriteAsJsonAsync(Value);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status301MovedPermanently, typeof(SubjectMovedDto), ["application/json"]));
}
