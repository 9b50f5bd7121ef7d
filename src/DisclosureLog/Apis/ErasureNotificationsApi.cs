namespace Procexon.DisclosureLog.Apis;

public static class ErasureNotificationsApi
{
    public static IEndpointRouteBuilder MapErasureNotificationsApi(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup("/api/disclosures/notifications").WithTags("Erasure notifications");

        notifications.MapGet("/", ListNotifications)
            .WithName("ListErasureNotifications")
            .WithSummary("Erasure notices to recipients (GDPR Art 19) and their status: notified, confirmed or overdue; filter by request or overdue.");

        notifications.MapPost("/{id:guid}/confirmation", ConfirmErasure)
            .WithName("ConfirmErasureNotification")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Records, for a recipient without an automated channel, that it confirmed the erasure.");

        return app;
    }

    public static async Task<Results<Ok<List<ErasureNotificationDto>>, ValidationProblem>> ListNotifications(
        string? request, string? overdue, DisclosureLogContext db, TimeProvider clock, CancellationToken cancellationToken)
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
        var query = db.ErasureNotifications.AsNoTracking();
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
        return TypedResults.Ok(found.ConvertAll(n => ErasureNotificationDto.From(n, now)));
    }

    public static async Task<Results<Ok<ErasureNotificationDto>, ValidationProblem, ProblemHttpResult>> ConfirmErasure(
        Guid id, ConfirmErasureBody body, DisclosureLogContext db, IEventOutbox outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var confirmedBy = body.ConfirmedBy?.Trim();
        if (string.IsNullOrEmpty(confirmedBy))
        {
            errors["confirmedBy"] = ["Say who recorded the confirmation (confirmedBy)."];
        }
        else if (confirmedBy.Length > ErasureNotification.MaxConfirmedByLength)
        {
            errors["confirmedBy"] = [$"The confirmedBy is longer than {ErasureNotification.MaxConfirmedByLength} characters."];
        }

        if (body.Detail is { Length: > ErasureNotification.MaxDetailLength })
        {
            errors["detail"] = [$"The detail is longer than {ErasureNotification.MaxDetailLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The confirmation is not valid.");
        }

        var notification = await db.ErasureNotifications.SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (notification is null)
        {
            return TypedResults.Problem(
                title: "Unknown erasure notification",
                detail: $"There is no erasure notification {id}.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["id"] = id });
        }

        var now = clock.GetUtcNowToMicroseconds();
        if (!notification.Confirm(now, confirmedBy!, body.Detail))
        {
            return AlreadyConfirmed(notification);
        }

        outbox.Add(new RecipientConfirmedErasure(notification.RequestId, notification.Recipient, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The processor's own confirmation (or another click) got there first.
            await db.Entry(notification).ReloadAsync(cancellationToken);
            return AlreadyConfirmed(notification);
        }

        return TypedResults.Ok(ErasureNotificationDto.From(notification, now));
    }

    private static ProblemHttpResult AlreadyConfirmed(ErasureNotification notification) => TypedResults.Problem(
        title: "Already confirmed",
        detail: $"The erasure notice to {notification.Recipient} was confirmed at {notification.ConfirmedAt:O}.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["id"] = notification.Id, ["confirmedAt"] = notification.ConfirmedAt });
}

public sealed record ConfirmErasureBody(string? ConfirmedBy, string? Detail);

public sealed record ErasureNotificationDto(
    Guid Id,
    Guid RequestId,
    string Recipient,
    IReadOnlyList<Guid> SubjectIds,
    IReadOnlyList<string> Categories,
    string Status,
    DateTimeOffset SentAt,
    DateTimeOffset ConfirmBy,
    DateTimeOffset? ConfirmedAt,
    string? ConfirmedBy,
    string? Detail)
{
    public static ErasureNotificationDto From(ErasureNotification notification, DateTimeOffset now) => new(
        notification.Id,
        notification.RequestId,
        notification.Recipient,
        notification.SubjectIds,
        notification.Categories,
        notification.StatusAt(now),
        notification.SentAt,
        notification.ConfirmBy,
        notification.ConfirmedAt,
        notification.ConfirmedBy,
        notification.Detail);
}
