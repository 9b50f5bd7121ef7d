using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.DisclosureLog.Model;

/// <summary>
/// The notice to one recipient that the processing of a subject's data it received is restricted (GDPR Art 18, 19), or
/// that the restriction is lifted, and its confirmation. Both kinds are one entity with a <see cref="Kind"/>: they carry
/// the same facts and are confirmed the same way, so one table, one list and one confirmation serve both. One per
/// restriction request, recipient and kind.
/// </summary>
public sealed class RestrictionNotification : RecipientNotice
{
    /// <summary><see cref="RecipientNoticeKinds.Restriction"/> or <see cref="RecipientNoticeKinds.RestrictionLifted"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Every category disclosed to the recipient about those subjects: what is restricted, or released.</summary>
    public required List<string> Categories { get; init; }

    public static IReadOnlyList<string> Kinds { get; } = [RecipientNoticeKinds.Restriction, RecipientNoticeKinds.RestrictionLifted];
}

public sealed class RestrictionNotificationConfiguration : IEntityTypeConfiguration<RestrictionNotification>
{
    public void Configure(EntityTypeBuilder<RestrictionNotification> builder)
    {
        builder.ToTable("restriction_notifications");
        // The restriction and its lifting are two notices to the same recipient for the same request.
        builder.ConfigureNotice(nameof(RestrictionNotification.Kind));
        builder.Property(n => n.Kind).HasMaxLength(32);
        builder.Property(n => n.Categories).HasColumnType("text[]");
    }
}
