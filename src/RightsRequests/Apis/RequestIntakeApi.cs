using Procexon.Messaging;
using Procexon.Messaging.Outbox;
using Procexon.ServiceDefaults.Problems;

namespace Procexon.RightsRequests.Apis;

/// <summary>
/// A request's own endpoints, whatever its right: its receipt from any channel, the identity's verification, its status,
/// the list, and the answer. What staff do for one right (particulars, objections, restrictions, the export) is in
/// <see cref="RightsExecutionApi"/>, on the same group.
/// </summary>
public static class RequestIntakeApi
{
    private static readonly string[] s_channels = ["web-form", "email", "letter", "phone", "in-person"];

    public static IEndpointRouteBuilder MapRequestIntakeApi(this IEndpointRouteBuilder app)
    {
        // Each endpoint names what it needs: the group mixes the public's own steps (the web form, its code) with
        // staff routes. The anonymous-capable ones check the staff case in the handler (Callers).
        var requests = app.MapGroup("/api/requests").WithTags("Rights requests");

        requests.MapPost("/", ReceiveRequest)
            .AllowAnonymous()
            .WithName("ReceiveRequest")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Records a data subject's request and starts its one-month answer period (GDPR Art 12(3)). "
                + "The web form is open to the public; a written request (receivedOn, or another channel) is entered by staff, recorded as the signed-in caller.");

        requests.MapGet("/{id:guid}", GetRequest)
            .RequireAuthorization(Policies.ReadRequests)
            .WithName("GetRequest")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A request's status, verification, and one outcome per register and per notified recipient.");

        requests.MapGet("/", ListRequests)
            .RequireAuthorization(Policies.ReadRequests)
            .WithName("ListRequests")
            .WithSummary("Requests, soonest due first; filter by status.");

        requests.MapPost("/{id:guid}/verification", VerifyIdentity)
            .AllowAnonymous()
            .WithName("VerifyIdentity")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Verifies the requester's identity: by the requester's one-time code (open; answers the key to the answer once), "
                + "or by staff (recorded as the signed-in caller); only then does the request start to execute.");

        requests.MapGet("/{id:guid}/answer", GetAnswer)
            .AllowAnonymous()
            .WithName("GetAnswer")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone)
            .WithSummary("The answer to the data subject of a completed request, in Finnish (lang=fi) or English (lang=en); "
                + "for staff, or for the requester with the key their code verification answered (key=). "
                + "410 once the copies of the subject's data an access or portability answer is written from are removed (RightsRequests:AnswerCopies:KeepFor after completion).");

        requests.MapRightsExecutionApi();
        requests.MapRequestInboxApi();
        return app;
    }

    public static async Task<Results<Created<RequestStatusDto>, ValidationProblem, ProblemHttpResult>> ReceiveRequest(
        ReceiveRequestBody body, HttpContext http, IAuthorizationService authorization, [AsParameters] RequestServices services,
        CancellationToken cancellationToken)
    {
        // Asked before anything else: whether the caller may enter a written request is not a matter of its fields.
        var written = body.ReceivedOn is not null
            || (!string.IsNullOrWhiteSpace(body.Channel) && !body.Channel.Trim().Equals("web-form", StringComparison.OrdinalIgnoreCase));
        if (written && await authorization.RefuseUnlessAsync(http, Policies.HandleRequests, "enter a written request") is { } refused)
        {
            return refused;
        }

        var errors = new Dictionary<string, string[]>();
        var type = Required<RequestType>(body.Type, "type", errors);
        // A request entered with the day it arrived came in writing; the web form is received now.
        var defaultChannel = body.ReceivedOn is null ? "web-form" : "letter";
        var channel = string.IsNullOrWhiteSpace(body.Channel) ? defaultChannel : body.Channel.Trim().ToLowerInvariant();
        if (!s_channels.Contains(channel))
        {
            errors["channel"] = [$"Unknown channel. Use one of: {string.Join(", ", s_channels)}."];
        }

        if (body.Details is { Length: > 4000 })
        {
            errors["details"] = ["The details are longer than 4000 characters."];
        }

        var now = services.Clock.GetUtcNow();
        // A web-form request comes from the data subject, whoever is signed in; staff enter the others.
        var enteredBy = written ? http.User.Actor() : null;
        if (body.ReceivedOn is { } receivedOn)
        {
            var today = AnswerPeriod.FinnishDate(now);
            if (receivedOn > today)
            {
                errors["receivedOn"] = ["The day the request was received cannot be in the future."];
            }
            else if (receivedOn < today.AddYears(-1))
            {
                errors["receivedOn"] = ["The day the request was received is more than a year ago; check the date."];
            }

            if (channel == "web-form")
            {
                errors["channel"] = ["A web-form request is received when it is sent; give receivedOn only for a request entered by staff."];
            }
        }

        var subject = ValidSubjectIdentifiers.Validate(body.Subject, "subject", errors);
        var particulars = type is null
            ? default
            : RightsExecutionApi.Particulars(type.Value, new ParticularsBody(body.Corrections, body.Objection), required: false, errors);
        if (errors.Count > 0 || type is null || subject is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
        }

        // A letter stamped an earlier day counts from the start of that day in Finland; one received today, from now.
        var receivedAt = body.ReceivedOn is { } day && day < AnswerPeriod.FinnishDate(now) ? RequestClock.StartOf(day) : now;
        var request = new RightsRequest
        {
            Id = Guid.CreateVersion7(),
            Type = type.Value,
            Status = RequestStatus.AwaitingVerification,
            Channel = channel,
            Details = body.Details,
            ReceivedAt = receivedAt,
            DueOn = AnswerPeriod.DueOn(receivedAt),
            EnteredAt = now,
            EnteredBy = enteredBy,
            Subject = new SubjectIdentifiers(
                subject.Name, subject.Email?.Value, subject.Phone?.Value, subject.Hetu?.Value,
                subject.BusinessId?.Value, subject.CustomerNumber?.Value),
        };
        request.RecordReceipt(enteredBy ?? AuditActors.DataSubject, now);
        if (particulars.Corrections is not null || particulars.Objection is not null)
        {
            request.GiveParticulars(particulars.Corrections, particulars.Objection);
        }

        services.Db.Requests.Add(request);
        services.Outbox.Add(new RightsRequestReceived(request.Id, RequestText.Kebab(request.Type), channel, receivedAt, request.DueOn));
        await services.Db.SaveChangesAsync(cancellationToken);

        return TypedResults.Created($"/api/requests/{request.Id}", RequestStatusDto.From(request, now));
    }

    public static async Task<Results<Ok<RequestStatusDto>, ProblemHttpResult>> GetRequest(
        Guid id, [AsParameters] RequestServices services, CancellationToken cancellationToken)
    {
        // One round trip, not three: clients poll this while a request runs, and at most ten registers times a handful
        // of recipients come back joined.
        var request = await services.Db.Requests.AsNoTracking()
            .Include(r => r.Registers)
            .Include(r => r.Recipients)
            .AsSingleQuery()
            .SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return request is null
            ? UnknownRequest(id)
            : TypedResults.Ok(RequestStatusDto.From(request, services.Clock.GetUtcNow()));
    }

    public static async Task<Results<Ok<List<RequestSummaryDto>>, ValidationProblem>> ListRequests(
        string? status, RightsRequestsContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var wanted = status is null ? null : Required<RequestStatus>(status, "status", errors);
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
        return TypedResults.Ok(requests.ConvertAll(RequestSummaryDto.From));
    }

    /// <summary>
    /// Identity verified, by staff or by the requester's one-time code: the request goes in progress and what it sets
    /// going leaves in the same transaction. The row is locked so that two verifications at once cannot both start it.
    /// A wrong code is refused as a problem naming <c>code</c>, and the attempt it used up is kept.
    /// </summary>
    public static async Task<Results<Ok<RequestStatusDto>, ValidationProblem, ProblemHttpResult>> VerifyIdentity(
        Guid id, VerificationBody body, HttpContext http, IAuthorizationService authorization, [AsParameters] RequestServices services,
        VerificationCode codes, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var method = Required<VerificationMethod>(body.Method, "method", errors);
        // Only the requester's own code is open to the public; every other method is a member of staff's word, asked
        // for before anything is read or changed.
        if (method is { } staffMethod && staffMethod != VerificationMethod.OneTimeCode
            && await authorization.RefuseUnlessAsync(http, Policies.HandleRequests, "verify a requester's identity") is { } refused)
        {
            return refused;
        }

        string? verifiedBy = null;
        string? code = null;
        if (method == VerificationMethod.OneTimeCode)
        {
            code = VerificationCode.Normalise(body.Code);
            if (code is null)
            {
                errors["code"] = [$"Give the {VerificationCode.Length}-digit code e-mailed to the requester."];
            }
        }
        else
        {
            verifiedBy = http.User.Actor();
            if (body.Identifiers is { } named && (named.Count == 0 || named.Any(i => !IdentifierFields.All.Contains(i))))
            {
                errors["identifiers"] = [$"Name the identifiers you checked, one or more of: {string.Join(", ", IdentifierFields.All)}."];
            }
        }

        if (errors.Count > 0 || method is null || (verifiedBy is null && code is null))
        {
            return TypedResults.ValidationProblem(errors, title: "The verification is not valid.");
        }

        var db = services.Db;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async Task<Results<Ok<RequestStatusDto>, ValidationProblem, ProblemHttpResult>> (ct) =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginAllOrNothingTransactionAsync(ct);
            var request = await db.LockRequestAsync(id, ct);
            if (request is null)
            {
                return UnknownRequest(id);
            }

            if (request.Status != RequestStatus.AwaitingVerification)
            {
                var status = RequestText.Kebab(request.Status);
                return TypedResults.Problem(
                    type: ProblemTypes.Uri("not-awaiting-verification"),
                    title: "The request is not awaiting verification",
                    detail: $"Request {id} is {status}; only a request awaiting verification can be verified.",
                    statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?> { ["requestStatus"] = status });
            }

            var now = services.Clock.GetUtcNow();
            string? answerKey = null;
            if (code is not null)
            {
                var check = request.CheckVerificationCode(code, codes, now);
                if (check != CodeCheck.Verified)
                {
                    // The used-up attempt and its audit entry are kept although the verification is refused.
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                    return TypedResults.ValidationProblem(
                        new Dictionary<string, string[]> { ["code"] = [CodeProblem(check, request.VerificationAttemptsLeft)] },
                        title: "The code is not accepted.");
                }

                answerKey = VerificationCode.NewAnswerKey();
                request.KeepAnswerKey(codes.HashAnswerKey(id, answerKey));
            }
            else
            {
                var given = IdentifierFields.Given(request.Subject);
                if (body.Identifiers?.FirstOrDefault(i => !given.Contains(i)) is { } notGiven)
                {
                    return TypedResults.ValidationProblem(
                        new Dictionary<string, string[]> { ["identifiers"] = [$"The request gave no {notGiven}; it gave: {string.Join(", ", given)}."] },
                        title: "The verification is not valid.");
                }

                request.Verify(method.Value, verifiedBy!, now, body.Identifiers);
            }

            RequestExecution.Begin(request, services.Outbox, services.Hasher, now);

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            var verified = RequestStatusDto.From(request, now);
            // The key is said once, here: only its hash is kept.
            return TypedResults.Ok(answerKey is null ? verified : verified with
            {
                AnswerKey = answerKey,
                AnswerUrl = $"/api/requests/{id}/answer?key={answerKey}",
                ExportUrl = RightsExports.HasExport(request.Type) ? $"/api/requests/{id}/export?key={answerKey}" : null,
            });
        }, cancellationToken);
    }

    private static string CodeProblem(CodeCheck check, int attemptsLeft) => check switch
    {
        CodeCheck.Wrong when attemptsLeft > 0 => $"The code is wrong; {attemptsLeft} attempt(s) left.",
        CodeCheck.Wrong or CodeCheck.NoAttemptsLeft => "The code is wrong and no attempts are left; ask for a new code.",
        CodeCheck.Expired => $"The code has expired (codes are valid for {VerificationCode.Lifetime.TotalMinutes:0} minutes); ask for a new code.",
        _ => "No code has been sent for this request; ask for one first (POST verification-code).",
    };

    public static async Task<Results<Ok<ErasureAnswer>, Ok<RightsAnswer>, ValidationProblem, ProblemHttpResult>> GetAnswer(
        Guid id, string? lang, string? key, HttpContext http, IAuthorizationService authorization, VerificationCode codes,
        RightsRequestsContext db, CancellationToken cancellationToken)
    {
        if (await RefuseWithoutKeyAsync(id, key, Policies.ReadAnswers, "read the answer", http, authorization, codes, db, cancellationToken) is { } refused)
        {
            return refused;
        }

        var language = string.IsNullOrWhiteSpace(lang) ? ErasureAnswerLetter.Finnish : lang.Trim().ToLowerInvariant();
        if (!ErasureAnswerLetter.Languages.Contains(language))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["lang"] = [$"The answer is written in {string.Join(" or ", ErasureAnswerLetter.Languages)}."] },
                title: "The language is not valid.");
        }

        var request = await db.Requests.AsNoTracking()
            .Include(r => r.Registers)
            .Include(r => r.Recipients)
            .AsSplitQuery()
            .SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return UnknownRequest(id);
        }

        if (request.Status != RequestStatus.Completed)
        {
            IReadOnlyList<string> awaiting = request.Type == RequestType.Erasure ? ErasureProgress.Awaiting(request) : RightsProgress.Awaiting(request);
            var status = RequestText.Kebab(request.Status);
            return TypedResults.Problem(
                type: ProblemTypes.Uri("no-answer-yet"),
                title: "The request has no answer yet",
                detail: $"Request {id} is {status}; still awaited: {string.Join("; ", awaiting)}.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["requestStatus"] = status, ["awaiting"] = awaiting });
        }

        if (request.Type == RequestType.Erasure)
        {
            return TypedResults.Ok(ErasureAnswerLetter.Compose(request, language));
        }

        if (request.AnswerCopiesPurgedAt is not null)
        {
            return AnswerCopiesGone(request);
        }

        var copies = await db.Set<RegisterDataCopy>().AsNoTracking().Where(c => c.RequestId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(RightsAnswerLetter.Compose(request, copies, language));
    }

    /// <summary>
    /// Staff with <paramref name="policy"/>, or the requester with the key their code verification answered. Asked
    /// before the request is looked up, so a caller with neither learns nothing, not even whether the request exists.
    /// </summary>
    internal static async Task<ProblemHttpResult?> RefuseWithoutKeyAsync(
        Guid id, string? key, string policy, string what, HttpContext http, IAuthorizationService authorization,
        VerificationCode codes, RightsRequestsContext db, CancellationToken cancellationToken)
    {
        if (await authorization.MayAsync(http.User, policy))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(key) && key.Length <= 64)
        {
            var stored = await db.Requests.AsNoTracking().Where(r => r.Id == id).Select(r => r.AnswerKeyHash).SingleOrDefaultAsync(cancellationToken);
            if (stored is not null && codes.MatchesAnswerKey(id, key, stored))
            {
                return null;
            }
        }

        return Callers.Refuse(http, what, ", or the requester with the key their code verification gave them");
    }

    /// <summary>
    /// The answer and the export are written from the copies of the subject's data, which are kept only for a while
    /// after completion (<see cref="AnswerCopyPurge"/>): once removed, an answer without them would be incomplete.
    /// </summary>
    internal static ProblemHttpResult AnswerCopiesGone(RightsRequest request)
    {
        static string Day(DateTimeOffset? instant) =>
            instant is { } value ? AnswerPeriod.FinnishDate(value).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "?";

        return TypedResults.Problem(
            title: "The copies of the subject's data have been removed",
            detail: $"Request {request.Id} was completed on {Day(request.CompletedAt)}; the copies of the subject's data it was answered with "
                + $"were removed on {Day(request.AnswerCopiesPurgedAt)}, after their retention period. The request must be made again.",
            statusCode: StatusCodes.Status410Gone,
            extensions: new Dictionary<string, object?>
            {
                ["requestStatus"] = RequestText.Kebab(request.Status),
                ["copiesRemovedAt"] = request.AnswerCopiesPurgedAt,
            });
    }

    internal static ProblemHttpResult UnknownRequest(Guid id) =>
        TypedResults.Problem(title: "Unknown request", detail: $"There is no request {id}.", statusCode: StatusCodes.Status404NotFound);

    internal static TEnum? Required<TEnum>(string? value, string field, Dictionary<string, string[]> errors) where TEnum : struct, Enum
    {
        var known = string.Join(", ", RequestText.All<TEnum>());
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"The {field} is required: one of {known}."];
            return null;
        }

        var parsed = RequestText.Parse<TEnum>(value);
        if (parsed is null)
        {
            errors[field] = [$"Unknown {field}. Use one of: {known}."];
        }

        return parsed;
    }
}

/// <summary>What the request handlers share.</summary>
public sealed record RequestServices(RightsRequestsContext Db, IEventOutbox Outbox, SubjectKeyHasher Hasher, TimeProvider Clock);
