using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Procexon.DisclosureLog.Model;

/// <summary>
/// One change of how a recipient is reached: the channel and URL it took, whether a signing secret was generated or
/// rotated, when and by whom (the caller as the token names them, or the configuration setting). Rows are only added,
/// like the catalogue's versions, so "how was this recipient reached on that day" has an answer. Never the secret, and
/// never the e-mail address in clear (only whether one was set): the row outlives both.
/// </summary>
public sealed class RecipientChannelChange
{
    public const int MaxChangedByLength = 200;

    /// <summary>Given by the database in the order of writing, so changes within one instant still list in order.</summary>
    public long Id { get; init; }

    public required string Recipient { get; init; }

    /// <summary>One of <see cref="RecipientChannelChangeKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The channel from this change on.</summary>
    public required string Channel { get; init; }

    public string? WebhookUrl { get; init; }

    /// <summary>Whether an e-mail address was set (the address itself is personal data and is not repeated here).</summary>
    public required bool EmailAddressSet { get; init; }

    /// <summary>Whether this change gave the recipient a new signing secret (generated, rotated or configured).</summary>
    public required bool NewWebhookSecret { get; init; }

    /// <summary>Until when the replaced secret still signs beside the new one, after a rotation.</summary>
    public DateTimeOffset? PreviousSecretSignsUntil { get; init; }

    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>The privacy officer as their token names them, or <c>configuration</c> with the setting.</summary>
    public required string ChangedBy { get; init; }

    public static RecipientChannelChange Of(Recipient recipient, string kind, bool newSecret, DateTimeOffset at, string changedBy) => new()
    {
        Recipient = recipient.Slug,
        Kind = kind,
        Channel = recipient.Channel,
        WebhookUrl = recipient.WebhookUrl,
        EmailAddressSet = recipient.EmailAddress is not null,
        NewWebhookSecret = newSecret,
        PreviousSecretSignsUntil = recipient.PreviousWebhookSecretSignsUntil,
        ChangedAt = at,
        ChangedBy = changedBy.Length <= MaxChangedByLength ? changedBy : changedBy[..MaxChangedByLength],
    };
}

/// <summary>What a <see cref="RecipientChannelChange"/> was.</summary>
public static class RecipientChannelChangeKinds
{
    /// <summary>A privacy officer set the channel (<c>PUT /api/recipients/{recipient}/channel</c>).</summary>
    public const string ChannelSet = "channel-set";

    /// <summary>A privacy officer rotated the webhook secret (<c>POST /api/recipients/{recipient}/webhook-secret</c>).</summary>
    public const string SecretRotated = "webhook-secret-rotated";

    /// <summary>The deployment's configuration changed the channel, URL, address or secret at a start.</summary>
    public const string Configured = "configured";
}

public sealed class RecipientChannelChangeConfiguration : IEntityTypeConfiguration<RecipientChannelChange>
{
    public void Configure(EntityTypeBuilder<RecipientChannelChange> builder)
    {
        builder.ToTable("recipient_channel_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Recipient).HasMaxLength(64);
        builder.HasOne<Recipient>().WithMany().HasForeignKey(c => c.Recipient).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.Kind).HasMaxLength(32);
        builder.Property(c => c.Channel).HasMaxLength(32);
        builder.Property(c => c.WebhookUrl).HasMaxLength(2048);
        builder.Property(c => c.ChangedBy).HasMaxLength(RecipientChannelChange.MaxChangedByLength);
        builder.HasIndex(c => new { c.Recipient, c.Id });
    }
}
