using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.DisclosureLog.Model;

/// <summary>
/// The notice to one recipient that a subject's data it received was corrected (GDPR Art 19), and its confirmation.
/// One per rectification request and recipient. The corrected values are not kept here: they travelled once.
/// </summary>
public sealed class RectificationNotification : RecipientNotice
{
    /// <summary>The names of the corrected fields (email, address…).</summary>
    public required List<string> Fields { get; init; }
}

public sealed class RectificationNotificationConfiguration : IEntityTypeConfiguration<RectificationNotification>
{
    public void Configure(EntityTypeBuilder<RectificationNotification> builder)
    {
        builder.ToTable("rectification_notifications");
        builder.ConfigureNotice();
        builder.Property(n => n.Fields).HasColumnType("text[]");
    }
}
