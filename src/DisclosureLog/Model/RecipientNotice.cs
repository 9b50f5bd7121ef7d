namespace Procexon.DisclosureLog.Model;

/// <summary>
/// What an erasure notice and a rectification notice share (GDPR Art 19): sent to one recipient for one request,
/// confirmed once, by the recipient's automated channel or by staff, and overdue while unconfirmed past its confirm-by.
/// </summary>
public interface IRecipientNotice
{
    Guid Id { get; }

    Guid RequestId { get; }

    /// <summary>The recipient's slug.</summary>
    string Recipient { get; }

    DateTimeOffset SentAt { get; }

    /// <summary>When the recipient should have confirmed; unconfirmed after it, the notice is overdue.</summary>
    DateTimeOffset ConfirmBy { get; }

    DateTimeOffset? ConfirmedAt { get; }

    /// <summary>Who confirmed: the recipient's slug for an automated confirmation, or the staff member who recorded it.</summary>
    string? ConfirmedBy { get; }

    string? Detail { get; }

    /// <summary>Records the confirmation; false, and nothing changes, when the notice was already confirmed.</summary>
    bool Confirm(DateTimeOffset confirmedAt, string confirmedBy, string? detail);
}

public static class RecipientNotices
{
    public const int MaxDetailLength = 2000;

    public const int MaxConfirmedByLength = 200;

    public static string StatusAt(this IRecipientNotice notice, DateTimeOffset now) =>
        notice.ConfirmedAt is not null ? ErasureNotificationStatuses.Confirmed
        : now > notice.ConfirmBy ? ErasureNotificationStatuses.Overdue
        : ErasureNotificationStatuses.Notified;

    /// <summary>The confirmation's fields as stored: who within its length, the detail trimmed, blank as none.</summary>
    internal static (string ConfirmedBy, string? Detail) Normalize(string confirmedBy, string? detail) =>
        (Truncate(confirmedBy, MaxConfirmedByLength), string.IsNullOrWhiteSpace(detail) ? null : Truncate(detail.Trim(), MaxDetailLength));

    private static string Truncate(string value, int length) => value.Length > length ? value[..length] : value;
}

public static class ErasureNotificationStatuses
{
    public const string Notified = "notified";
    public const string Confirmed = "confirmed";
    public const string Overdue = "overdue";
}

public static class RecipientNoticeQueries
{
    /// <summary>Unconfirmed after their confirm-by time; the same rule as <see cref="RecipientNotices.StatusAt"/>.</summary>
    public static IQueryable<T> OverdueAt<T>(this IQueryable<T> notices, DateTimeOffset now) where T : class, IRecipientNotice =>
        notices.Where(n => n.ConfirmedAt == null && n.ConfirmBy < now);

    public static IQueryable<T> NotOverdueAt<T>(this IQueryable<T> notices, DateTimeOffset now) where T : class, IRecipientNotice =>
        notices.Where(n => n.ConfirmedAt != null || n.ConfirmBy >= now);
}
