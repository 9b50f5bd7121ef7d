using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.DisclosureLog.Model;

/// <summary>
/// What every notice to a recipient shares (GDPR Art 19: erasure, rectification, restriction and its lifting): sent to one recipient for one request,
/// confirmed once, by the recipient's automated channel or by staff, and overdue while unconfirmed past its confirm-by.
/// Not an entity itself: each kind of notice has its own table.
/// </summary>
public abstract class RecipientNotice
{
    public required Guid Id { get; init; }

    public required Guid RequestId { get; init; }

    /// <summary>The recipient's slug.</summary>
    public required string Recipient { get; init; }

    /// <summary>The subject's ids in the Registry that the recipient received data of.</summary>
    public required List<Guid> SubjectIds { get; init; }

    public required DateTimeOffset SentAt { get; init; }

    /// <summary>When the recipient should have confirmed; unconfirmed after it, the notice is overdue.</summary>
    public required DateTimeOffset ConfirmBy { get; init; }

    public DateTimeOffset? ConfirmedAt { get; private set; }

    /// <summary>Who confirmed: the recipient's slug for an automated confirmation, or the staff member who recorded it.</summary>
    public string? ConfirmedBy { get; private set; }

    /// <summary>What the recipient said it did ("Erased 3 records", "Corrected the address").</summary>
    public string? Detail { get; private set; }

    /// <summary>
    /// When another notice took this one's place while it was unconfirmed (a restriction lifted before its recipient
    /// confirmed it: the lifting's notice supersedes it). It stays on record, unconfirmed, but is no longer overdue: the
    /// privacy officer has nothing left to chase. A late confirmation is still recorded.
    /// </summary>
    public DateTimeOffset? SupersededAt { get; private set; }

    /// <summary>Optimistic concurrency (PostgreSQL's xmin): a processor and staff confirming at once cannot both win.</summary>
    public uint Version { get; private set; }

    /// <summary>Records the confirmation; false, and nothing changes, when the notice was already confirmed.</summary>
    public bool Confirm(DateTimeOffset confirmedAt, string confirmedBy, string? detail)
    {
        if (ConfirmedAt is not null)
        {
            return false;
        }

        ConfirmedAt = confirmedAt.ToMicroseconds();
        ConfirmedBy = Truncate(confirmedBy, RecipientNotices.MaxConfirmedByLength);
        Detail = string.IsNullOrWhiteSpace(detail) ? null : Truncate(detail.Trim(), RecipientNotices.MaxDetailLength);
        return true;
    }

    /// <summary>Marks the unconfirmed notice superseded; false, and nothing changes, when it is confirmed or marked already.</summary>
    public bool Supersede(DateTimeOffset supersededAt)
    {
        if (ConfirmedAt is not null || SupersededAt is not null)
        {
            return false;
        }

        SupersededAt = supersededAt.ToMicroseconds();
        return true;
    }

    public string StatusAt(DateTimeOffset now) =>
        ConfirmedAt is not null ? ErasureNotificationStatuses.Confirmed
        : SupersededAt is not null ? ErasureNotificationStatuses.Superseded
        : now > ConfirmBy ? ErasureNotificationStatuses.Overdue
        : ErasureNotificationStatuses.Notified;

    private static string Truncate(string value, int length) => value.Length > length ? value[..length] : value;
}

public static class RecipientNotices
{
    public const int MaxDetailLength = 2000;

    public const int MaxConfirmedByLength = 200;

    /// <summary>
    /// The columns, keys and indexes every kind of notice has; the caller names the table and its own columns, and
    /// <paramref name="onePerAlso"/> the columns besides request and recipient that a notice is one per (a kind).
    /// </summary>
    public static void ConfigureNotice<T>(this EntityTypeBuilder<T> notice, params string[] onePerAlso) where T : RecipientNotice
    {
        notice.HasKey(n => n.Id);
        notice.Property(n => n.Recipient).HasMaxLength(64);
        notice.HasOne<Recipient>().WithMany().HasForeignKey(n => n.Recipient).OnDelete(DeleteBehavior.Restrict);
        notice.Property(n => n.SubjectIds).HasColumnType("uuid[]");
        notice.Property(n => n.ConfirmedBy).HasMaxLength(MaxConfirmedByLength);
        notice.Property(n => n.Detail).HasMaxLength(MaxDetailLength);
        notice.Property(n => n.Version).IsRowVersion();
        // One notice per request and recipient, however often the scope of the request arrives.
        notice.HasIndex([nameof(RecipientNotice.RequestId), nameof(RecipientNotice.Recipient), .. onePerAlso]).IsUnique();
        // The overdue count every few seconds reads only the unconfirmed ones that nothing superseded.
        notice.HasIndex(n => n.ConfirmBy).HasFilter("confirmed_at IS NULL AND superseded_at IS NULL");
    }
}
public static class ErasureNotificationStatuses
{
    public const string Notified = "notified";
    public const string Confirmed = "confirmed";
    public const string Overdue = "overdue";

    /// <summary>Unconfirmed when another notice took its place (<see cref="RecipientNotice.SupersededAt"/>): never overdue.</summary>
    public const string Superseded = "superseded";
}

public static class RecipientNoticeQueries
{
    /// <summary>Unconfirmed and not superseded after their confirm-by time; the same rule as <see cref="RecipientNotice.StatusAt"/>.</summary>
    public static IQueryable<T> OverdueAt<T>(this IQueryable<T> notices, DateTimeOffset now) where T : RecipientNotice =>
        notices.Where(n => n.ConfirmedAt == null && n.SupersededAt == null && n.ConfirmBy < now);

    public static IQueryable<T> NotOverdueAt<T>(this IQueryable<T> notices, DateTimeOffset now) where T : RecipientNotice =>
        notices.Where(n => n.ConfirmedAt != null || n.SupersededAt != null || n.ConfirmBy >= now);
}
