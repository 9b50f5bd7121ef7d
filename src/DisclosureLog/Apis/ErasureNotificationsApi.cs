using System.Security.Claims;

namespace Procexon.DisclosureLog.Apis;

public static class ErasureNotificationsApi
{
    public static IEndpointRouteBuilder MapErasureNotificationsApi(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup("/api/disclosures/notifications").WithTags("Erasure notifications");

        notifications.MapGet("/", ListNotifications)
            .RequireAuthorization(Policies.ReadRecipientNotices)
            .WithName("ListErasureNotifications")
            .WithSummary("Erasure notices to recipients (GDPR Art 19) and their status: notified, confirmed or overdue; filter by request or overdue. A processor sees only its own.");

        notifications.MapPost("/{id:guid}/confirmation", ConfirmErasure)
            .RequireAuthorization(Policies.ConfirmRecipientNotices)
            .WithName("ConfirmErasureNotification")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Records, for a recipient without an automated channel, that it confirmed the erasure; the caller is recorded as who confirmed. A processor confirms only its own notices.");

        return app;
    }

    public static Task<Results<Ok<List<ErasureNotificationDto>>, ValidationProblem>> ListNotifications(
        string? request, string? overdue, ClaimsPrincipal user, DisclosureLogContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        RecipientNoticeEndpoints.ListAsync(request, overdue, user, db.ErasureNotifications, ErasureNotificationDto.From, clock, cancellationToken);

    public static Task<Results<Ok<ErasureNotificationDto>, ValidationProblem, ProblemHttpResult>> ConfirmErasure(
        Guid id, ConfirmNoticeBody body, ClaimsPrincipal user, DisclosureLogContext db, IEventOutbox outbox, TimeProvider clock, CancellationToken cancellationToken) =>
        RecipientNoticeEndpoints.ConfirmAsync<ErasureNotification, ErasureNotificationDto, object>(
            id, body, user, RecipientNoticeKinds.Erasure, db, outbox, RecipientNoticeAnnouncements.ConfirmationOf, ErasureNotificationDto.From, clock, cancellationToken);
}

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
