using System.Security.Claims;

namespace Procexon.DisclosureLog.Apis;

public static class RectificationNotificationsApi
{
    public static IEndpointRouteBuilder MapRectificationNotificationsApi(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup("/api/rectification-notifications").WithTags("Rectification notifications");

        notifications.MapGet("/", ListNotifications)
            .RequireAuthorization(Policies.ReadRecipientNotices)
            .WithName("ListRectificationNotifications")
            .WithSummary("Rectification notices to recipients (GDPR Art 19) and their status: notified, confirmed or overdue; filter by request or overdue. A processor sees only its own.");

        notifications.MapPost("/{id:guid}/confirmation", ConfirmRectification)
            .RequireAuthorization(Policies.ConfirmRecipientNotices)
            .WithName("ConfirmRectificationNotification")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Records, for a recipient without an automated channel, that it corrected the data; the caller is recorded as who confirmed, and the request can then complete. A processor confirms only its own notices.");

        return app;
    }

    public static Task<Results<Ok<List<RectificationNotificationDto>>, ValidationProblem>> ListNotifications(
        string? request, string? overdue, ClaimsPrincipal user, DisclosureLogContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        RecipientNoticeEndpoints.ListAsync(request, overdue, user, db.RectificationNotifications, RectificationNotificationDto.From, clock, cancellationToken);

    public static Task<Results<Ok<RectificationNotificationDto>, ValidationProblem, ProblemHttpResult>> ConfirmRectification(
        Guid id, ConfirmNoticeBody body, ClaimsPrincipal user, DisclosureLogContext db, IEventOutbox outbox, TimeProvider clock, CancellationToken cancellationToken) =>
        RecipientNoticeEndpoints.ConfirmAsync<RectificationNotification, RectificationNotificationDto, object>(
            id, body, user, RecipientNoticeKinds.Rectification, db, outbox, RecipientNoticeAnnouncements.ConfirmationOf, RectificationNotificationDto.From, clock, cancellationToken);
}

/// <summary>A rectification notice: the names of the corrected fields, never their values.</summary>
public sealed record RectificationNotificationDto(
    Guid Id,
    Guid RequestId,
    string Recipient,
    IReadOnlyList<Guid> SubjectIds,
    IReadOnlyList<string> Fields,
    string Status,
    DateTimeOffset SentAt,
    DateTimeOffset ConfirmBy,
    DateTimeOffset? ConfirmedAt,
    string? ConfirmedBy,
    string? Detail)
{
    public static RectificationNotificationDto From(RectificationNotification notification, DateTimeOffset now) => new(
        notification.Id,
        notification.RequestId,
        notification.Recipient,
        notification.SubjectIds,
        notification.Fields,
        notification.StatusAt(now),
        notification.SentAt,
        notification.ConfirmBy,
        notification.ConfirmedAt,
        notification.ConfirmedBy,
        notification.Detail);
}
