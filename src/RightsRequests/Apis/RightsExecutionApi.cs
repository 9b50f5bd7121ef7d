using Procexon.Messaging;
using Procexon.ServiceDefaults.Problems;

namespace Procexon.RightsRequests.Apis;

/// <summary>
/// The endpoints of the rights other than erasure: the particulars a request needs (corrections, what is objected
/// to), the decision on an objection, lifting a restriction, and the export of the subject's data.
/// </summary>
public static class RightsExecutionApi
{
    private const int MaxReasonLength = 2000;

    public static RouteGroupBuilder MapRightsExecutionApi(this RouteGroupBuilder requests)
    {
        requests.MapPut("/{id:guid}/particulars", GiveParticulars)
            .RequireAuthorization(Policies.HandleRequests)
            .WithName("GiveParticulars")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The corrections of a rectification request, or what an objection is to (direct-marketing or legitimate-interest).");

        requests.MapPost("/{id:guid}/objection-decision", DecideObjection)
            .RequireAuthorization(Policies.DecideRequests)
            .WithName("DecideObjection")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Records the decision on an objection to processing under legitimate interest (Art 21(1)), with its reason; upheld, the processing is restricted. Recorded as the signed-in caller.");

        requests.MapPost("/{id:guid}/restriction-lifting", LiftRestriction)
            .RequireAuthorization(Policies.DecideRequests)
            .WithName("LiftRestriction")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Tells the subject that their restriction is being lifted (Art 18(3)), then lifts it in every register; a restriction still waiting "
                + "only for recipients' confirmations is completed, their notices superseded by the lifting's. Recorded as the signed-in caller.");

        requests.MapGet("/{id:guid}/restriction-lifting", GetRestrictionLifting)
            .RequireAuthorization(Policies.ReadRequests)
            .WithName("GetRestrictionLifting")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Where the lifting of a restriction stands: when the subject was told, when the registers released.");

        requests.MapGet("/{id:guid}/export", Export)
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("ExportSubjectData")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone)
            .WithSummary("The subject's data of a completed access (format=json) or portability (format=zip: JSON and CSV) request; "
                + "for staff, or for the requester with the key their code verification answered (key=). "
                + "410 once the copies it is written from are removed (RightsRequests:AnswerCopies:KeepFor after completion).");

        return requests;
    }

    public static async Task<Results<Ok<RequestStatusDto>, ValidationProblem, ProblemHttpResult>> GiveParticulars(
        Guid id, ParticularsBody body, [AsParameters] RequestServices services, CancellationToken cancellationToken)
    {
        return await InLockedRequestAsync<Results<Ok<RequestStatusDto>, ValidationProblem, ProblemHttpResult>>(services, id, (request, now) =>
        {
            if (request is null)
            {
                return UnknownRequest(id);
            }

            if (request.Type is not (RequestType.Rectification or RequestType.Objection))
            {
                return Conflict(request, ProblemTypes.Uri("takes-no-particulars"), "The request takes no particulars", $"A {RequestText.Kebab(request.Type)} request needs nothing beyond its subject.");
            }

            var errors = new Dictionary<string, string[]>();
            var (corrections, objection) = Particulars(request.Type, body, required: true, errors);
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors, title: "The particulars are not valid.");
            }

            if (request.Right is not null || request.Status is RequestStatus.Completed or RequestStatus.Refused)
            {
                return Conflict(request, ProblemTypes.Uri("already-executing"), "The request is already being carried out", "Its particulars can no longer change.");
            }

            request.GiveParticulars(corrections, objection);
            RequestExecution.Continue(request, services.Outbox, services.Hasher, now);
            return TypedResults.Ok(RequestStatusDto.From(request, now));
        }, cancellationToken);
    }

    /// <summary>
    /// A rectification's corrections or what an objection is to, validated; given with the request or later
    /// (<c>PUT …/particulars</c>). Particulars a type does not take are an error naming the field.
    /// </summary>
    internal static (IReadOnlyList<FieldCorrection>? Corrections, string? Objection) Particulars(
        RequestType type, ParticularsBody body, bool required, Dictionary<string, string[]> errors)
    {
        IReadOnlyList<FieldCorrection>? corrections = null;
        string? objection = null;
        if (type == RequestType.Rectification && (required || body.Corrections is not null))
        {
            corrections = Corrections.Validate(body.Corrections, "corrections", errors);
        }
        else if (body.Corrections is not null)
        {
            errors["corrections"] = ["Only a rectification request takes corrections."];
        }

        if (type == RequestType.Objection && (required || body.Objection is not null))
        {
            objection = ObjectionGrounds.All.FirstOrDefault(g => g.Equals(body.Objection?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (objection is null)
            {
                errors["objection"] = [$"Say what the subject objects to: {string.Join(" or ", ObjectionGrounds.All)}."];
            }
        }
        else if (body.Objection is not null)
        {
            errors["objection"] = ["Only an objection request says what it objects to."];
        }

        return (corrections, objection);
    }

    public static async Task<Results<Ok<ObjectionDecisionDto>, ValidationProblem, ProblemHttpResult>> DecideObjection(
        Guid id, ObjectionDecisionBody body, ClaimsPrincipal user, [AsParameters] RequestServices services, RightsRequestsMetrics metrics,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Upheld is null)
        {
            errors["upheld"] = ["Say whether the objection is upheld (true) or rejected (false)."];
        }

        var reason = Text(body.Reason, "reason", MaxReasonLength, "Give the reason for the decision: it is told to the subject.", errors);
        var decidedBy = user.Actor();
        if (errors.Count > 0 || reason is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The decision is not valid.");
        }

        RightsRequest? completed = null;
        var result = await InLockedRequestAsync<Results<Ok<ObjectionDecisionDto>, ValidationProblem, ProblemHttpResult>>(services, id, (request, now) =>
        {
            if (request is null)
            {
                return UnknownRequest(id);
            }

            if (request is not { Type: RequestType.Objection, ObjectionTo: ObjectionGrounds.LegitimateInterest, Decision: null })
            {
                return Conflict(request, ProblemTypes.Uri("no-objection-awaiting-decision"), "No objection awaits a decision",
                    "Only an objection to processing under legitimate interest, not yet decided, takes a decision (an objection to direct marketing needs none).");
            }

            request.Decide(body.Upheld!.Value, reason, decidedBy, now);
            completed = RequestExecution.Continue(request, services.Outbox, services.Hasher, now) ? request : null;
            return TypedResults.Ok(new ObjectionDecisionDto(request.Id, request.Decision!.Upheld, request.Decision.Reason, request.Decision.DecidedBy,
                request.Decision.DecidedAt, RequestText.Kebab(request.Status)));
        }, cancellationToken);

        // A rejected objection completes here, not in a consumer: counted once the decision has committed.
        if (completed is not null && result.Result is Ok<ObjectionDecisionDto>)
        {
            metrics.Completed(completed);
        }

        return result;
    }

    public static async Task<Results<Ok<RestrictionLiftingDto>, ValidationProblem, ProblemHttpResult>> LiftRestriction(
        Guid id, RestrictionLiftingBody body, ClaimsPrincipal user, [AsParameters] RequestServices services, RightsRequestsMetrics metrics,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var reason = Text(body.Reason, "reason", MaxReasonLength, "Give the reason the restriction is lifted: the subject is told it.", errors);
        var liftedBy = user.Actor();
        if (errors.Count > 0 || reason is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The lifting is not valid.");
        }

        RightsRequest? completed = null;
        var result = await InLockedRequestAsync<Results<Ok<RestrictionLiftingDto>, ValidationProblem, ProblemHttpResult>>(services, id, (request, now) =>
        {
            if (request is null)
            {
                return UnknownRequest(id);
            }

            if (!request.CanBeLifted)
            {
                return Conflict(request, ProblemTypes.Uri("no-restriction-to-lift"), "No restriction to lift",
                    "Only a restriction (or upheld objection) in force, not yet lifted, can be lifted: completed, or waiting only for recipients' confirmations.");
            }

            // The subject is told first (Art 18(3)); the registers release only after, in the same commit's order.
            completed = request.LiftRestriction(reason, liftedBy, now) ? request : null;
            services.Outbox.Add(new SubjectToldOfRestrictionLifting(request.Id, now));
            if (completed is not null)
            {
                // Lifted while recipients had not confirmed: the restriction's part is done, and the answer says so.
                RequestExecution.AnnounceCompletion(request, services.Outbox);
            }

            services.Outbox.Add(new RestrictionLiftingRequested(request.Id, reason, now));
            return TypedResults.Ok(RestrictionLiftingDto.From(request));
        }, cancellationToken);

        if (completed is not null && result.Result is Ok<RestrictionLiftingDto>)
        {
            metrics.Completed(completed);
        }

        return result;
    }

    public static async Task<Results<Ok<RestrictionLiftingDto>, ProblemHttpResult>> GetRestrictionLifting(
        Guid id, RightsRequestsContext db, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return request switch
        {
            null => UnknownRequest(id),
            { Lifting: null } => TypedResults.Problem(
                title: "No lifting", detail: $"The restriction of request {id} has not been lifted.", statusCode: StatusCodes.Status404NotFound),
            _ => TypedResults.Ok(RestrictionLiftingDto.From(request)),
        };
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Export(
        Guid id, string? format, string? key, HttpContext http, IAuthorizationService authorization, VerificationCode codes,
        RightsRequestsContext db, CancellationToken cancellationToken)
    {
        if (await RequestIntakeApi.RefuseWithoutKeyAsync(id, key, Policies.ReadExports, "export the subject's data", http, authorization, codes, db, cancellationToken) is { } refused)
        {
            return refused;
        }

        var request = await db.Requests.AsNoTracking()
            .Include(r => r.Registers)
            .AsSplitQuery()
            .SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return UnknownRequest(id);
        }

        var wanted = string.IsNullOrWhiteSpace(format)
            ? request.Type == RequestType.Portability ? RightsExports.Zip : RightsExports.Json
            : format.Trim().ToLowerInvariant();
        if (!RightsExports.Formats.Contains(wanted))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["format"] = [$"The export is {string.Join(" or ", RightsExports.Formats)}."] },
                title: "The format is not valid.");
        }

        if (!RightsExports.HasExport(request.Type))
        {
            return Conflict(request, ProblemTypes.Uri("no-export"), "The request has no export", "Only access and portability requests export the subject's data.");
        }

        if (request.Status != RequestStatus.Completed)
        {
            return Conflict(request, ProblemTypes.Uri("no-export-yet"), "The request has no export yet", $"Still awaited: {string.Join("; ", RightsProgress.Awaiting(request))}.");
        }

        if (request.AnswerCopiesPurgedAt is not null)
        {
            return RequestIntakeApi.AnswerCopiesGone(request);
        }

        var copies = await db.Set<RegisterDataCopy>().AsNoTracking().Where(c => c.RequestId == id).ToListAsync(cancellationToken);
        var export = RightsExports.Compose(request, copies);
        var name = $"{RequestText.Kebab(request.Type)}-{request.Id}";
        return wanted == RightsExports.Zip
            ? TypedResults.File(RightsExports.ToZip(export), "application/zip", $"{name}.zip")
            : TypedResults.File(RightsExports.ToJson(export), "application/json", $"{name}.json");
    }

    /// <summary>Runs <paramref name="work"/> on the locked request in one transaction; commits only what a 2xx answer did.</summary>
    private static async Task<TResult> InLockedRequestAsync<TResult>(
        RequestServices services, Guid id, Func<RightsRequest?, DateTimeOffset, TResult> work, CancellationToken cancellationToken)
        where TResult : IResult
    {
        var db = services.Db;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginAllOrNothingTransactionAsync(ct);
            var request = await db.LockRequestAsync(id, ct);
            var result = work(request, services.Clock.GetUtcNow());
            var answer = result is INestedHttpResult nested ? nested.Result : result;
            if (answer is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
            {
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }

            return result;
        }, cancellationToken);
    }

    private static string? Text(string? value, string field, int maxLength, string missing, Dictionary<string, string[]> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors[field] = [missing];
            return null;
        }

        if (text.Length > maxLength)
        {
            errors[field] = [$"The {field} is longer than {maxLength} characters."];
            return null;
        }

        return text;
    }

    private static ProblemHttpResult Conflict(RightsRequest request, string type, string title, string detail)
    {
        var status = RequestText.Kebab(request.Status);
        return TypedResults.Problem(
            type: type,
            title: title,
            detail: $"Request {request.Id} ({RequestText.Kebab(request.Type)}, {status}): {detail}",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["requestStatus"] = status });
    }

    private static ProblemHttpResult UnknownRequest(Guid id) =>
        TypedResults.Problem(title: "Unknown request", detail: $"There is no request {id}.", statusCode: StatusCodes.Status404NotFound);
}

public sealed record ParticularsBody(IReadOnlyList<CorrectionInput>? Corrections, string? Objection);

/// <summary>The decision and its reason, told to the subject; who decided comes from the token.</summary>
public sealed record ObjectionDecisionBody(bool? Upheld, string? Reason);

public sealed record ObjectionDecisionDto(Guid RequestId, bool Upheld, string Reason, string DecidedBy, DateTimeOffset DecidedAt, string Status);

/// <summary>The reason the subject is told; who lifted comes from the token.</summary>
public sealed record RestrictionLiftingBody(string? Reason);

/// <summary>
/// The lifting of a restriction: the notice the subject was sent first (fi, en), then when the registers released, and
/// the recipients told of the lifting (Art 19) with when each confirmed; <c>recipientsNotifiedAt</c> is null until told.
/// </summary>
public sealed record RestrictionLiftingDto(
    Guid RequestId, string Reason, string LiftedBy, DateTimeOffset SubjectToldAt, LocalizedText Notice, DateTimeOffset? LiftedAt, IReadOnlyList<string> Registers,
    DateTimeOffset? RecipientsNotifiedAt, IReadOnlyList<LiftingNoticeDto> Recipients)
{
    public static RestrictionLiftingDto From(RightsRequest request)
    {
        var lifting = request.Lifting!;
        return new RestrictionLiftingDto(
            request.Id,
            lifting.Reason,
            lifting.LiftedBy,
            lifting.SubjectToldAt,
            new LocalizedText(
                RightsAnswerLetter.LiftingNotice(request, lifting, ErasureAnswerLetter.Finnish),
                RightsAnswerLetter.LiftingNotice(request, lifting, ErasureAnswerLetter.English)),
            lifting.LiftedAt,
            lifting.Registers,
            lifting.RecipientsNotifiedAt,
            [.. (lifting.Recipients ?? []).Select(n => new LiftingNoticeDto(n.Recipient, n.Name, n.NotificationId, n.ConfirmBy, n.ConfirmedAt))]);
    }
}

/// <summary>One recipient told that the restriction is lifted, and when it confirmed (null while unconfirmed).</summary>
public sealed record LiftingNoticeDto(string Recipient, LocalizedText? Name, Guid? NotificationId, DateTimeOffset? ConfirmBy, DateTimeOffset? ConfirmedAt);
