namespace Procexon.DisclosureLog.Apis;

/// <summary>
/// The list and the staff confirmation that erasure and rectification notices share; each API says only which notices,
/// which event a confirmation announces and how a notice is shown.
/// </summary>
public static class RecipientNoticeEndpoints
{
    /// <summary>Notices filtered by request and by being overdue (<c>?request={id}&amp;overdue=true|false</c>).</summary>
    public static async Task<Results<Ok<List<TDto>>, ValidationProblem>> ListAsync<TNotice, TDto>(
        string? request,
        string? overdue,
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
        var query = notices.AsNoTracking();
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
    /// Records that staff heard from a recipient without an automated channel, and announces it with the same event as
    /// the recipient's own confirmation, in the same transaction. A notice confirmed already is a conflict and announces nothing.
    /// </summary>
    public static async Task<Results<Ok<TDto>, ValidationProblem, ProblemHttpResult>> ConfirmAsync<TNotice, TDto, TEvent>(
        Guid id,
        ConfirmNoticeBody body,
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
        var confirmedBy = body.ConfirmedBy?.Trim();
        if (string.IsNullOrEmpty(confirmedBy))
        {
            errors["confirmedBy"] = ["Say who recorded the confirmation (confirmedBy)."];
        }
        else if (confirmedBy.Length > RecipientNotices.MaxConfirmedByLength)
        {
            errors["confirmedBy"] = [$"The confirmedBy is longer than {RecipientNotices.MaxConfirmedByLength} characters."];
        }

        if (body.Detail is { Length: > RecipientNotices.MaxDetailLength })
        {
            errors["detail"] = [$"The detail is longer than {RecipientNotices.MaxDetailLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The confirmation is not valid.");
        }

        var notice = await db.Set<TNotice>().SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (notice is null)
        {
            return TypedResults.Problem(
                title: $"Unknown {kind} notification",
                detail: $"There is no {kind} notification {id}.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["id"] = id });
        }

        var now = clock.GetUtcNowToMicroseconds();
        if (!notice.Confirm(now, confirmedBy!, body.Detail))
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

    private static ProblemHttpResult AlreadyConfirmed(RecipientNotice notice, string kind) => TypedResults.Problem(
        title: "Already confirmed",
        detail: $"The {kind} notice to {notice.Recipient} was confirmed at {notice.ConfirmedAt:O}.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["id"] = notice.Id, ["confirmedAt"] = notice.ConfirmedAt });
}

/// <summary>A staff member's record that a recipient confirmed a notice: who recorded it, and what the recipient said.</summary>
public sealed record ConfirmNoticeBody(string? ConfirmedBy, string? Detail);
