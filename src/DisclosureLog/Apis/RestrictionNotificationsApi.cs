using System.Security.Claims;

namespace Procexon.DisclosureLog.Apis;

/// <summary>
/// Restriction notices and the notices of a restriction's lifting (one list, each notice with its <c>kind</c>), and their
/// confirmation, through the endpoints every kind of notice shares (<see cref="RecipientNoticeEndpoints"/>).
/// </summary>
public static class RestrictionNotificationsApi
{
    public const string Path = "/api/restriction-notifications";

    /// <summary>Where a processor or staff confirm the notice: the webhook event's and the e-mail's <c>confirmation</c>.</summary>
    public static string ConfirmationPath(Guid noticeId) => $"{Path}/{noticeId}/confirmation";

    public static IEndpointRouteBuilder MapRestrictionNotificationsApi(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup(Path).WithTags("Restriction notifications");

        notifications.MapGet("/", ListNotifications)
            .RequireAuthorization(Policies.ReadRecipientNotices)
            .WithName("ListRestrictionNotifications")
            .WithSummary("Notices to recipients that a subject's data is restricted, or that the restriction is lifted (GDPR Art 18, 19), and their status: notified, confirmed, overdue or superseded (a restriction lifted before its recipient confirmed it: never overdue); filter by request or overdue. A processor sees only its own.");

        notifications.MapPost("/{id:guid}/confirmation", ConfirmRestriction)
            .RequireAuthorization(Policies.ConfirmRecipientNotices)
            .WithName("ConfirmRestrictionNotification")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Records that the recipient restricted the data (or released it, for a lifting); the caller is recorded as who confirmed. A processor confirms only its own notices.");

        return app;
    }

    public static Task<Results<Ok<List<RestrictionNotificationDto>>, ValidationProblem>> ListNotifications(
        string? request, string? overdue, ClaimsPrincipal user, DisclosureLogContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        RecipientNoticeEndpoints.ListAsync(request, overdue, user, db.RestrictionNotifications, RestrictionNotificationDto.From, clock, cancellationToken);

    public static Task<Results<Ok<RestrictionNotificationDto>, ValidationProblem, ProblemHttpResult>> ConfirmRestriction(
        Guid id, ConfirmNoticeBody body, ClaimsPrincipal user, DisclosureLogContext db, IEventOutbox outbox, TimeProvider clock, CancellationToken cancellationToken) =>
        RecipientNoticeEndpoints.ConfirmAsync<RestrictionNotification, RestrictionNotificationDto, object>(
            id, body, user, RecipientNoticeKinds.Restriction, db, outbox, RecipientNoticeAnnouncements.ConfirmationOf, RestrictionNotificationDto.From, clock, cancellationToken);
}

/// <summary>A restriction notice (<c>restriction</c>) or the notice of its lifting (<c>restriction-lifted</c>).</summary>
public sealed record RestrictionNotificationDto(
    Guid Id,
    Guid RequestId,
    string Recipient,
    string Kind,
    IReadOnlyList<Guid> SubjectIds,
    IReadOnlyList<string> Categories,
    string Status,
    DateTimeOffset SentAt,
    DateTimeOffset ConfirmBy,
    DateTimeOffset? ConfirmedAt,
    string? ConfirmedBy,
    string? Detail,
    DateTimeOffset? SupersededAt)
{
    public static RestrictionNotificationDto From(RestrictionNotification notification, DateTimeOffset now) => new(
        notification.Id,
        notification.RequestId,
        notification.Recipient,
        notification.Kind,
        notification.SubjectIds,
        notification.Categories,
        notification.StatusAt(now),
        notification.SentAt,
        notification.ConfirmBy,
        notification.ConfirmedAt,
        notification.ConfirmedBy,
        notification.Detail,
        notification.SupersededAt);
}
