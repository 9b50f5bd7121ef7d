using System.Globalization;
using Microsoft.Extensions.Options;
using Procexon.Messaging;

namespace Procexon.RightsRequests.Apis;

/// <summary>
/// The request's clock (extension, due-soon and overdue lists), refusal, the one-time code, and the audit trail with
/// its export for the Data Protection Ombudsman.
/// </summary>
public static partial class RequestLifecycleApi
{
    private const int MaxReasonLength = 2000;
    private const int MaxExportRows = 50_000;
    private const int MaxDueSoonDays = 92;

    public static IEndpointRouteBuilder MapRequestLifecycleApi(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/requests").WithTags("Rights requests");

        // Each endpoint names what it needs: the code a requester asks for is theirs, the rest is staff's.
        requests.MapPost("/{id:guid}/extension", ExtendAnswerPeriod)
            .RequireAuthorization(Policies.DecideRequests)
            .WithName("ExtendAnswerPeriod")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Extends the answer period by one or two months with a reason the subject is told (Art 12(3)); only within the first month. Recorded as the signed-in caller.");

        requests.MapPost("/{id:guid}/refusal", RefuseRequest)
            .RequireAuthorization(Policies.DecideRequests)
            .WithName("RefuseRequest")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Refuses a manifestly unfounded or excessive request with its reason (Art 12(5)); nothing executes afterwards. Recorded as the signed-in caller.");

        requests.MapPost("/{id:guid}/verification-code", SendVerificationCode)
            .AllowAnonymous()
            .WithName("SendVerificationCode")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("E-mails a six-digit one-time code to the address the requester gave; valid 15 minutes, 5 attempts.");

        requests.MapGet("/{id:guid}/audit", GetAuditTrail)
            .RequireAuthorization(Policies.ReadAuditTrail)
            .WithName("GetAuditTrail")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Every change of the request with actor, time, action and reason, oldest first.");

        requests.MapGet("/audit-export", ExportAuditTrail)
            .RequireAuthorization(Policies.ReadAuditTrail)
            .WithName("ExportAuditTrail")
            .WithSummary("The audit entries of a period (from, to: Finnish calendar days, inclusive) as JSON or CSV, for the Data Protection Ombudsman.");

        requests.MapGet("/due-soon", ListDueSoon)
            .RequireAuthorization(Policies.ReadRequests)
            .WithName("ListDueSoon")
            .WithSummary("Open requests due today or within the next `days` days (default 7), soonest first.");

        requests.MapGet("/overdue", ListOverdue)
            .RequireAuthorization(Policies.ReadRequests)
            .WithName("ListOverdue")
            .WithSummary("Open requests whose answer period has ended, most overdue first.");

        return app;
    }

    public static async Task<Results<Ok<LifecycleChangeDto>, ValidationProblem, ProblemHttpResult>> ExtendAnswerPeriod(
        Guid id, ExtensionBody body, ClaimsPrincipal user, [AsParameters] LifecycleServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Months is not (1 or RequestClock.MaxExtensionMonths))
        {
            errors["months"] = [$"Extend by 1 or {RequestClock.MaxExtensionMonths} further months (Art 12(3))."];
        }

        var reason = Reason(body.Reason, "Give the reason for the extension; the subject is told it.", errors);
        var actor = user.Actor();
        if (errors.Count > 0 || body.Months is not { } months || reason is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The extension is not valid.");
        }

        return await ChangeAndNotifyAsync(id, services, (request, now) => request.Extend(months, reason, actor, now),
            SubjectNotices.Extension, "extension of the answer period", cancellationToken);
    }

    public static async Task<Results<Ok<LifecycleChangeDto>, ValidationProblem, ProblemHttpResult>> RefuseRequest(
        Guid id, RefusalBody body, ClaimsPrincipal user, [AsParameters] LifecycleServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var reason = Reason(body.Reason, "Give the reason the request is manifestly unfounded or excessive; the subject is told it.", errors);
        var actor = user.Actor();
        if (errors.Count > 0 || reason is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The refusal is not valid.");
        }

        return await ChangeAndNotifyAsync(id, services, (request, now) => request.Refuse(reason, actor, now),
            SubjectNotices.Refusal, "refusal", cancellationToken);
    }

    public static async Task<Results<Ok<VerificationCodeSentDto>, ProblemHttpResult>> SendVerificationCode(
        Guid id, [AsParameters] LifecycleServices services, VerificationCode codes, CancellationToken cancellationToken)
    {
        var code = VerificationCode.NewCode();
        var db = services.Db;
        var strategy = db.Database.CreateExecutionStrategy();
        var outcome = await strategy.ExecuteAsync(async Task<(RightsRequest? Request, ProblemHttpResult? Problem)> (ct) =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginAllOrNothingTransactionAsync(ct);
            var request = await db.LockRequestAsync(id, ct);
            if (request is null)
            {
                return (null, RequestIntakeApi.UnknownRequest(id));
            }

            if (request.IssueVerificationCode(codes.Hash(id, code), services.Clock.GetUtcNow()) is { } refusal)
            {
                return (null, Conflict(request, refusal));
            }

            await db.SaveChangesAsync(ct);
            // Sent before the commit: a mail that fails rolls the code back with its audit entry and the count of codes
            // sent, so nothing says a code went out that did not. A commit that fails after the mail leaves a code that
            // does not verify; the subject asks again.
            var notice = SubjectNotices.VerificationCode(code);
            try
            {
                await services.Mailer.SendAsync(new SubjectMail(id, request.Subject.Email!, notice.Subject, notice.Body), ct);
            }
            catch (SubjectMailUnavailableException exception)
            {
                LogMailFailed(services.Logger, id, "verification code", exception);
                return (null, TypedResults.Problem(title: "The code could not be sent", detail: exception.Message,
                    statusCode: StatusCodes.Status503ServiceUnavailable));
            }

            await transaction.CommitAsync(ct);
            return (request, null);
        }, cancellationToken);
        if (outcome.Problem is not null || outcome.Request is not { } request)
        {
            return outcome.Problem!;
        }

        return TypedResults.Ok(new VerificationCodeSentDto(id, request.VerificationCodeExpiresAt!.Value,
            VerificationCode.MaxAttempts, VerificationCode.MaxCodesPerRequest - request.VerificationCodesSent));
    }

    public static async Task<Results<Ok<RequestAuditDto>, ProblemHttpResult>> GetAuditTrail(
        Guid id, RightsRequestsContext db, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return RequestIntakeApi.UnknownRequest(id);
        }

        var entries = await db.Set<RequestAuditEntry>().AsNoTracking()
            .Where(e => e.RequestId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new RequestAuditDto(RequestLifecycleDto.From(request), entries.ConvertAll(e => AuditEntryDto.From(e, request.Type))));
    }

    public static async Task<Results<Ok<List<AuditEntryDto>>, FileContentHttpResult, ValidationProblem>> ExportAuditTrail(
        DateOnly? from, DateOnly? to, string? format, RightsRequestsContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (from is null)
        {
            errors["from"] = ["Give the first day of the period (yyyy-MM-dd, Finnish calendar)."];
        }

        if (to is null)
        {
            errors["to"] = ["Give the last day of the period (yyyy-MM-dd, Finnish calendar)."];
        }
        else if (from is not null && to < from)
        {
            errors["to"] = ["The last day comes before the first."];
        }

        var csv = format?.Trim().ToLowerInvariant() switch
        {
            null or "" or "json" => false,
            "csv" => true,
            _ => (bool?)null,
        };
        if (csv is null)
        {
            errors["format"] = ["Use json or csv."];
        }

        if (errors.Count > 0 || from is not { } first || to is not { } last || csv is not { } asCsv)
        {
            return TypedResults.ValidationProblem(errors, title: "The export is not valid.");
        }

        var start = RequestClock.StartOf(first);
        var end = RequestClock.StartOf(last.AddDays(1));
        var rows = await db.Set<RequestAuditEntry>().AsNoTracking()
            .Where(e => e.OccurredAt >= start && e.OccurredAt < end)
            .OrderBy(e => e.Id)
            .Join(db.Requests, e => e.RequestId, r => r.Id, (e, r) => new { Entry = e, r.Type })
            .Take(MaxExportRows + 1)
            .ToListAsync(cancellationToken);
        if (rows.Count > MaxExportRows)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["to"] = [$"The period holds more than {MaxExportRows} entries; export a shorter one."] },
                title: "The export is too large.");
        }

        var entries = rows.ConvertAll(row => AuditEntryDto.From(row.Entry, row.Type));
        return asCsv
            ? TypedResults.File(AuditCsv.Write(entries), "text/csv; charset=utf-8",
                string.Create(CultureInfo.InvariantCulture, $"procexon-request-audit-{first:yyyy-MM-dd}-{last:yyyy-MM-dd}.csv"))
            : TypedResults.Ok(entries);
    }

    public static async Task<Results<Ok<List<RequestSummaryDto>>, ValidationProblem>> ListDueSoon(
        int? days, RightsRequestsContext db, TimeProvider clock, IOptions<RequestLifecycleOptions> options, CancellationToken cancellationToken)
    {
        var within = days ?? options.Value.DueSoonDays;
        if (within is < 0 or > MaxDueSoonDays)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["days"] = [$"Give 0 to {MaxDueSoonDays} days."] }, title: "The list is not valid.");
        }

        var today = RequestClock.Today(clock);
        var last = today.AddDays(within);
        var requests = await Open(db).Where(r => r.DueOn >= today && r.DueOn <= last)
            .OrderBy(r => r.DueOn).ThenBy(r => r.ReceivedAt).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(requests.ConvertAll(RequestSummaryDto.From));
    }

    public static async Task<Ok<List<RequestSummaryDto>>> ListOverdue(
        RightsRequestsContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Past the end of the due day in Finnish time = due before today in Finland (AnswerPeriod.IsOverdue).
        var today = RequestClock.Today(clock);
        var requests = await Open(db).Where(r => r.DueOn < today)
            .OrderBy(r => r.DueOn).ThenBy(r => r.ReceivedAt).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(requests.ConvertAll(RequestSummaryDto.From));
    }

    /// <summary>Requests still to be answered: neither completed, refused nor expired.</summary>
    public static IQueryable<RightsRequest> Open(RightsRequestsContext db) =>
        db.Requests.AsNoTracking().Where(r => r.Status == RequestStatus.AwaitingVerification || r.Status == RequestStatus.InProgress);

    /// <summary>
    /// Applies a change under the request's row lock and commits it with its audit entry; then tells the subject by
    /// e-mail when an address was given, and records that they were told.
    /// </summary>
    private static async Task<Results<Ok<LifecycleChangeDto>, ValidationProblem, ProblemHttpResult>> ChangeAndNotifyAsync(
        Guid id,
        LifecycleServices services,
        Func<RightsRequest, DateTimeOffset, LifecycleRefusal?> change,
        Func<RightsRequest, SubjectNotices.Notice> compose,
        string what,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var strategy = db.Database.CreateExecutionStrategy();
        var outcome = await strategy.ExecuteAsync(async Task<(RightsRequest? Request, ProblemHttpResult? Problem)> (ct) =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginAllOrNothingTransactionAsync(ct);
            var request = await db.LockRequestAsync(id, ct);
            if (request is null)
            {
                return (null, RequestIntakeApi.UnknownRequest(id));
            }

            if (change(request, services.Clock.GetUtcNow()) is { } refusal)
            {
                return (null, Conflict(request, refusal));
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (request, null);
        }, cancellationToken);
        if (outcome.Problem is not null || outcome.Request is not { } request)
        {
            return outcome.Problem!;
        }

        var notice = compose(request);
        var sent = false;
        if (request.Subject.Email is { } email)
        {
            try
            {
                await services.Mailer.SendAsync(new SubjectMail(id, email, notice.Subject, notice.Body), cancellationToken);
                request.RecordSubjectNotified($"{what} e-mailed to the address the requester gave", services.Clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                sent = true;
            }
            catch (SubjectMailUnavailableException exception)
            {
                LogMailFailed(services.Logger, id, what, exception);
            }
        }

        return TypedResults.Ok(new LifecycleChangeDto(
            RequestLifecycleDto.From(request), new SubjectNoticeDto(sent, notice.Subject, notice.Fi, notice.En)));
    }

    private static ProblemHttpResult Conflict(RightsRequest request, LifecycleRefusal refusal) => TypedResults.Problem(
        type: refusal.Type,
        title: refusal.Title,
        detail: refusal.Detail,
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["requestStatus"] = RequestText.Kebab(request.Status), ["dueOn"] = request.DueOn });

    private static string? Reason(string? value, string missing, Dictionary<string, string[]> errors)
    {
        var reason = value?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors["reason"] = [missing];
            return null;
        }

        if (reason.Length > MaxReasonLength)
        {
            errors["reason"] = [$"The reason is longer than {MaxReasonLength} characters."];
            return null;
        }

        return reason;
    }

    // The request id only: never the address or the mail's text.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mail the {What} of request {RequestId} to the subject")]
    private static partial void LogMailFailed(ILogger logger, Guid requestId, string what, Exception exception);
}

/// <summary>What the lifecycle handlers share.</summary>
public sealed record LifecycleServices(RightsRequestsContext Db, TimeProvider Clock, ISubjectMailer Mailer, ILogger<LifecycleServices> Logger);
