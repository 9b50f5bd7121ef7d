using System.Security.Claims;
using System.Text.RegularExpressions;
using Procexon.Messaging.Outbox;
using Procexon.ServiceDefaults.Problems;

namespace Procexon.Retention.Apis;

/// <summary>
/// Legal holds placed by people (GDPR Art 17(3)(e)): a privacy officer keeps a subject's data for legal claims, in one
/// register or in all, and lifts the hold when the claim is settled. Each change reaches the Registry through the
/// outbox in the same transaction (<see cref="LegalHoldPlaced"/>, <see cref="LegalHoldLifted"/>).
/// </summary>
public static partial class PlacedLegalHoldsApi
{
    public static IEndpointRouteBuilder MapPlacedLegalHoldsApi(this IEndpointRouteBuilder app)
    {
        var place = app.MapGroup("/api/retention/legal-holds").WithTags("Legal holds placed by people")
            .RequireAuthorization(Policies.PlaceLegalHolds);
        var read = app.MapGroup("/api/retention/legal-holds").WithTags("Legal holds placed by people")
            .RequireAuthorization(Policies.ReadRetention);

        place.MapPost("/", PlaceHold)
            .WithName("PlaceLegalHold")
            .WithSummary("Privacy officers: keeps a subject's data (in one register, or in all when register is absent) for legal claims; the caller is recorded as who placed it.");

        // ProblemHttpResult carries no status of its own, so its statuses are declared for the OpenAPI document.
        place.MapPost("/{id:guid}/lifting", LiftHold)
            .WithName("LiftLegalHold")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Privacy officers: ends the hold; what it alone kept through an erasure is erased, unless a statute keeps it.");

        read.MapGet("/", ListHolds)
            .WithName("ListPlacedLegalHolds")
            .WithSummary("A subject's legal holds placed by people, newest first, in force or lifted.");

        read.MapGet("/log", ListLog)
            .WithName("ListPlacedLegalHoldLog")
            .WithSummary("One page of the legal holds placed on every subject, newest first: filter by status (in-force, lifted) and "
                + "register (the holds that cover it, those on every register included); paged and counted in the database.");

        read.MapGet("/{id:guid}", GetHold)
            .WithName("GetPlacedLegalHold")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One legal hold placed by a person: whom and what it covers, why, who placed and lifted it, and what was erased after.");

        return app;
    }

    public static async Task<Results<Created<PlacedLegalHoldDto>, ValidationProblem>> PlaceHold(
        PlaceLegalHoldBody body, ClaimsPrincipal user, RetentionContext db, IEventOutbox outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = body.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The legal hold is not valid.");
        }

        var now = clock.GetUtcNow();
        var hold = new PlacedLegalHold
        {
            Id = Guid.CreateVersion7(now),
            SubjectId = body.SubjectId!.Value,
            Register = body.Register,
            Basis = body.Basis ?? LegalHoldBases.LegalClaims,
            Reason = body.Reason!.Trim(),
            PlacedBy = user.Actor(),
            PlacedAt = now,
        };
        db.PlacedLegalHolds.Add(hold);
        // In the same transaction: the Registry hears of the hold if and only if it is stored.
        outbox.Add(new LegalHoldPlaced(hold.Id, hold.SubjectId, hold.Register, hold.Basis, hold.PlacedAt));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/retention/legal-holds/{hold.Id}", PlacedLegalHoldDto.From(hold));
    }

    public static async Task<Results<Ok<PlacedLegalHoldDto>, ValidationProblem, ProblemHttpResult>> LiftHold(
        Guid id, LiftLegalHoldBody body, ClaimsPrincipal user, RetentionContext db, IEventOutbox outbox, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (body.Validate() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "The lifting is not valid.");
        }

        var liftedBy = user.Actor();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async Task<Results<Ok<PlacedLegalHoldDto>, ValidationProblem, ProblemHttpResult>> (ct) =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Locked, so two officers lifting at once cannot both lift it and tell the Registry twice.
            var hold = await db.PlacedLegalHolds.FromSql($"SELECT * FROM placed_legal_holds WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(ct);
            if (hold is null)
            {
                return NotFound(id);
            }

            var now = clock.GetUtcNow();
            if (!hold.Lift(liftedBy, body.Reason!.Trim(), now))
            {
                return TypedResults.Problem(
                    title: "The legal hold was lifted already",
                    detail: $"Legal hold {id} was lifted on {hold.LiftedAt:O}; a hold is lifted once.",
                    statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?> { ["id"] = id, ["liftedAt"] = hold.LiftedAt });
            }

            outbox.Add(new LegalHoldLifted(hold.Id, hold.SubjectId, hold.Register, hold.Basis, now));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return TypedResults.Ok(PlacedLegalHoldDto.From(hold));
        }, cancellationToken);
    }

    public static async Task<Results<Ok<List<PlacedLegalHoldDto>>, ValidationProblem>> ListHolds(
        string? subject, RetentionContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(subject, out var subjectId))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["subject"] = ["The subject is required: give the subject's id (a GUID; GET /api/subjects finds it)."] },
                title: "The query is not valid.");
        }

        var found = await db.PlacedLegalHolds.AsNoTracking().Where(h => h.SubjectId == subjectId)
            .OrderByDescending(h => h.PlacedAt).ThenBy(h => h.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(found.ConvertAll(PlacedLegalHoldDto.From));
    }

    /// <summary>Every subject's holds, for the officer who reviews which claims still keep data.</summary>
    public static async Task<Results<Ok<PlacedLegalHoldPageDto>, ValidationProblem>> ListLog(
        [AsParameters] PlacedLegalHoldLogQuery query, RetentionContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var status = query.Status?.Trim().ToLowerInvariant();
        if (status is not (null or PlacedLegalHoldDto.InForce or PlacedLegalHoldDto.Lifted))
        {
            errors["status"] = [$"Use {PlacedLegalHoldDto.InForce} or {PlacedLegalHoldDto.Lifted}."];
        }

        var register = string.IsNullOrWhiteSpace(query.Register) ? null : query.Register.Trim();
        if (register is not null && !IsRegisterSlug(register))
        {
            errors["register"] = ["Give a register's slug (e.g. email-archive)."];
        }

        var paging = Paging.Of(query.Page, query.PageSize, "holds", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is not valid.");
        }

        var holds = db.PlacedLegalHolds.AsNoTracking();
        holds = status switch
        {
            PlacedLegalHoldDto.InForce => holds.Where(h => h.LiftedAt == null),
            PlacedLegalHoldDto.Lifted => holds.Where(h => h.LiftedAt != null),
            _ => holds,
        };
        if (register is not null)
        {
            // A hold on every register covers this one too.
            holds = holds.Where(h => h.Register == register || h.Register == null);
        }

        var total = await holds.CountAsync(cancellationToken);
        var found = await holds.OrderByDescending(h => h.PlacedAt).ThenByDescending(h => h.Id)
            .Skip(paging.Skip).Take(paging.Size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PlacedLegalHoldPageDto(found.ConvertAll(PlacedLegalHoldDto.From), paging.Number, paging.Size, total));
    }

    public static async Task<Results<Ok<PlacedLegalHoldDto>, ProblemHttpResult>> GetHold(Guid id, RetentionContext db, CancellationToken cancellationToken) =>
        await db.PlacedLegalHolds.AsNoTracking().SingleOrDefaultAsync(h => h.Id == id, cancellationToken) is { } hold
            ? TypedResults.Ok(PlacedLegalHoldDto.From(hold))
            : NotFound(id);

    private static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(
        title: "Unknown legal hold",
        detail: $"There is no legal hold {id} placed by a person. GET /api/retention/legal-holds?subject={{id}} lists a subject's holds.",
        statusCode: StatusCodes.Status404NotFound,
        extensions: new Dictionary<string, object?> { ["id"] = id });

    /// <summary>Free text staff write: not blank, bounded, lines and tabs allowed but no other control characters.</summary>
    internal static bool IsReason(string? reason) =>
        !string.IsNullOrWhiteSpace(reason)
        && reason.Trim().Length <= PlacedLegalHold.MaxReasonLength
        && !reason.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));

    internal static bool IsRegisterSlug(string register) => register.Length <= 64 && RegisterSlug().IsMatch(register);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex RegisterSlug();
}

/// <summary>What to keep and why; who placed it comes from the caller's token, never from the body.</summary>
public sealed record PlaceLegalHoldBody(Guid? SubjectId, string? Register, string? Basis, string? Reason)
{
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (SubjectId is not { } subject || subject == Guid.Empty)
        {
            errors["subjectId"] = ["Give the id of the subject whose data is to be kept (GET /api/subjects finds it)."];
        }

        if (Register is not null && !PlacedLegalHoldsApi.IsRegisterSlug(Register))
        {
            errors["register"] = ["Give a register's slug (e.g. email-archive), or leave it out to hold every register."];
        }

        if (Basis is not null && !LegalHoldBases.IsKnown(Basis))
        {
            errors["basis"] = [$"Unknown basis. Use one of: {string.Join(", ", LegalHoldBases.All)}."];
        }

        if (!PlacedLegalHoldsApi.IsReason(Reason))
        {
            errors["reason"] = [$"Say which claim the data is kept for (1–{PlacedLegalHold.MaxReasonLength} characters, no control characters)."];
        }

        return errors;
    }
}

/// <summary>Why the hold ends (the claim settled, withdrawn, time-barred); who lifts it comes from the token.</summary>
public sealed record LiftLegalHoldBody(string? Reason)
{
    public Dictionary<string, string[]> Validate() =>
        PlacedLegalHoldsApi.IsReason(Reason)
            ? []
            : new() { ["reason"] = [$"Say why the hold ends (1–{PlacedLegalHold.MaxReasonLength} characters, no control characters)."] };
}

/// <summary>What the log is filtered by; each is optional.</summary>
public sealed record PlacedLegalHoldLogQuery(string? Status, string? Register, int? Page, int? PageSize);

/// <summary>A page of the log; <see cref="Total"/> counts the holds of every page under the filter.</summary>
public sealed record PlacedLegalHoldPageDto(IReadOnlyList<PlacedLegalHoldDto> Items, int Page, int PageSize, int Total);

/// <summary>A legal hold placed by a person, as staff see it. The reason is staff's own; the subject is told only the basis.</summary>
public sealed record PlacedLegalHoldDto(
    Guid Id,
    Guid SubjectId,
    string? Register,
    string Basis,
    LocalizedText BasisText,
    string Reason,
    string Status,
    string PlacedBy,
    DateTimeOffset PlacedAt,
    string? LiftedBy,
    DateTimeOffset? LiftedAt,
    string? LiftReason,
    int? RecordsErased,
    DateTimeOffset? ErasedAt)
{
    public const string InForce = "in-force";
    public const string Lifted = "lifted";

    public static PlacedLegalHoldDto From(PlacedLegalHold hold) => new(
        hold.Id,
        hold.SubjectId,
        hold.Register,
        hold.Basis,
        LegalHoldBases.TextOf(hold.Basis),
        hold.Reason,
        hold.InForce ? InForce : Lifted,
        hold.PlacedBy,
        hold.PlacedAt,
        hold.LiftedBy,
        hold.LiftedAt,
        hold.LiftReason,
        hold.RecordsErased,
        hold.ErasedAt);
}
