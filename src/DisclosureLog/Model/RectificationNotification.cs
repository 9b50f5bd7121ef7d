using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.DisclosureLog.Model;

/// <summary>
/// The notice to one recipient that a subject's data it received was corrected (GDPR Art 19), and its confirmation.
/// One per rectification request and recipient. The corrected values are not kept here: they travelled once.
/// </summary>
public sealed class RectificationNotification : IRecipientNotice
{
    public required Guid Id { get; init; }

    public required Guid RequestId { get; init; }

    public required string Recipient { get; init; }

    public required List<Guid> SubjectIds { get; init; }

    /// <summary>The names of the corrected fields (email, address…).</summary>
    public required List<string> Fields { get; init; }

    public required DateTimeOffset SentAt { get; init; }

    public required DateTimeOffset ConfirmBy { get; init; }

    public DateTimeOffset? ConfirmedAt { get; private set; }

    /// <summary>Who confirmed: the recipient's slug for an automated confirmation, or the staff member who recorded it.</summary>
    public string? ConfirmedBy { get; private set; }

    public string? Detail { get; private set; }

    /// <summary>Optimistic concurrency (PostgreSQL's xmin): a processor and staff confirming at once cannot both win.</summary>
    public uint Version { get; private set; }

    /// <summary>Records the confirmation; false, and nothing changes, when it was confirmed already.</summary>
    public bool Confirm(DateTimeOffset confirmedAt, string confirmedBy, string? detail)
    {
        if (ConfirmedAt is not null)
        {
            return false;
        }

        ConfirmedAt = confirmedAt.ToMicroseconds();
        (ConfirmedBy, Detail) = RecipientNotices.Normalize(confirmedBy, detail);
        return true;
    }
}

public sealed class RectificationNotificationConfiguration : IEntityTypeConfiguration<RectificationNotification>
{
    public void Configure(EntityTypeBuilder<RectificationNotification> builder)
    {
        builder.ToTable("rectification_notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Recipient).HasMaxLength(64);
        builder.HasOne<Recipient>().WithMany().HasForeignKey(n => n.Recipient).OnDelete(DeleteBehavior.Restrict);
        builder.Property(n => n.SubjectIds).HasColumnType("uuid[]");
        builder.Property(n => n.Fields).HasColumnType("text[]");
        builder.Property(n => n.ConfirmedBy).HasMaxLength(RecipientNotices.MaxConfirmedByLength);
        builder.Property(n => n.Detail).HasMaxLength(RecipientNotices.MaxDetailLength);
        builder.Property(n => n.Version).IsRowVersion();
        builder.HasIndex(n => new { n.RequestId, n.Recipient }).IsUnique();
        // The overdue count every few seconds reads only the unconfirmed ones.
        builder.HasIndex(n => n.ConfirmBy).HasFilter("confirmed_at IS NULL");
    }
}
