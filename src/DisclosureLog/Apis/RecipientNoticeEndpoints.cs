using System.Security.Claims;
using Procexon.ServiceDefaults.Problems;

namespace Procexon.DisclosureLog.Apis;

/// <summary>
/// The list and the confirmation that erasure and rectification notices share; each API says only which notices,
/// which event a confirmation announces and how a notice is shown. Staff see and confirm every recipient's notices;
/// a processor (no staff role) only its own recipient's, and another recipient's notice does not exist for it.
/// </summary>
public static class RecipientNoticeEndpoints
{
    /// <summary>Notices filtered by request and by being overdue (<c>?request={id}&amp;overdue=true|false</c>).</summary>
    public static async Task<Results<Ok<List<TDto>>, ValidationProblem>> ListAsync<TNotice, TDto>(
        string? request,
        string? overdue,
        ClaimsPrincipal user,
        IQueryable<TNotice> notices,
        Func<TNotice, DateTimeOffset, TDto> show,
        TimeProvider clock,
        CancellationToken cancellationToken)
        where TNotice : RecipientNotice
    {
        var errors = new Dictionary<string, string[]>();
        Guid? requestId = null;
        if (request is not null)
        {
            if (Guid.TryParse(request, out var parsed) && parsed != Guid.Empty)
            {
                requestId = parsed;
            }
            else
            {
                errors["request"] = ["The request is not a request id (a non-empty GUID)."];
            }
        }

        bool? onlyOverdue = null;
        if (overdue is not null)
        {
            if (bool.TryParse(overdue, out var parsed))
            {
                onlyOverdue = parsed;
            }
            else
            {
                errors["overdue"] = ["The overdue filter is true or false."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = clock.GetUtcNow();
        var query = OwnedBy(notices.AsNoTracking(), user);
        if (requestId is not null)
        {
            query = query.Where(n => n.RequestId == requestId);
        }

        query = onlyOverdue switch
        {
            true => query.OverdueAt(now),
            false => query.NotOverdueAt(now),
            null => query,
        };

        var found = await query.OrderBy(n => n.SentAt).ThenBy(n => n.Recipient).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(found.ConvertAll(n => show(n, now)));
    }

    /// <summary>
    /// Records that staff heard from a recipient without an automated channel (or that a processor confirms its own notice
    /// by hand), and announces it with the same event as the recipient's automated confirmation, in the same transaction.
    /// Who confirmed is the caller from the token. A notice confirmed already is a conflict and announces nothing.
    /// </summary>
    public static async Task<Results<Ok<TDto>, ValidationProblem, ProblemHttpResult>> ConfirmAsync<TNotice, TDto, TEvent>(
        Guid id,
        ConfirmNoticeBody body,
        ClaimsPrincipal user,
        string kind,
        DisclosureLogContext db,
        IEventOutbox outbox,
        Func<TNotice, TEvent> announce,
        Func<TNotice, DateTimeOffset, TDto> show,
        TimeProvider clock,
        CancellationToken cancellationToken)
        where TNotice : RecipientNotice
        where TEvent : class
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Detail is { Length: > RecipientNotices.MaxDetailLength })
        {
            errors["detail"] = [$"The detail is longer than {RecipientNotices.MaxDetailLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The confirmation is not valid.");
        }

        // Another recipient's notice answers exactly as a missing one: a processor learns nothing of other recipients.
        var notice = await OwnedBy(db.Set<TNotice>(), user).SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (notice is null)
        {
            return TypedResults.Problem(
                title: $"Unknown {kind} notification",
                detail: $"There is no {kind} notification {id}.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["id"] = id });
        }

        var now = clock.GetUtcNowToMicroseconds();
        if (!notice.Confirm(now, user.Actor(), body.Detail))
        {
            return AlreadyConfirmed(notice, kind);
        }

        outbox.Add(announce(notice));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The processor's own confirmation (or another click) got there first.
            await db.Entry(notice).ReloadAsync(cancellationToken);
            return AlreadyConfirmed(notice, kind);
        }

        return TypedResults.Ok(show(notice, now));
    }

    /// <summary>Every notice for staff; for a processor without a staff role, its own recipient's only (none without one).</summary>
    private static IQueryable<TNotice> OwnedBy<TNotice>(IQueryable<TNotice> notices, ClaimsPrincipal user) where TNotice : RecipientNotice
    {
        if (!user.IsProcessorOnly())
        {
            return notices;
        }

        var recipient = user.Recipient();
        return recipient is null ? notices.Where(_ => false) : notices.Where(n => n.Recipient == recipient);
    }

    private static ProblemHttpResult AlreadyConfirmed(RecipientNotice notice, string kind) => TypedResults.Problem(
        type: ProblemTypes.Uri("notice-already-confirmed"),
        title: "Already confirmed",
        detail: $"The {kind} notice to {notice.Recipient} was confirmed at {notice.ConfirmedAt:O}.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["id"] = notice.Id, ["confirmedAt"] = notice.ConfirmedAt });
}

/// <summary>
/// What the recipient said it did. Who recorded the confirmation comes from the token: a <c>confirmedBy</c> in the body
/// (sent by older clients) is ignored.
/// </summary>
public sealed record ConfirmNoticeBody(string? Detail);
