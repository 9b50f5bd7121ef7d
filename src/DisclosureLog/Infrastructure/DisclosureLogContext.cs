using Procexon.Messaging;

namespace Procexon.DisclosureLog.Infrastructure;

public sealed class DisclosureLogContext(DbContextOptions<DisclosureLogContext> options) : DbContext(options)
{
    public const string RecipientsTable = "recipients";
    public const string WebhookDeliveriesTable = "webhook_deliveries";

    /// <summary>The key webhook secrets (current and previous), recipients' mail addresses and undelivered events are encrypted with at rest.</summary>
    public DisclosureLogProtection Protection { get; } = options.EncryptionOf<DisclosureLogProtection>();

    public DbSet<Recipient> Recipients => Set<Recipient>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<WebhookDeliveryAttempt> WebhookDeliveryAttempts => Set<WebhookDeliveryAttempt>();

    public DbSet<RecipientChannelChange> RecipientChannelChanges => Set<RecipientChannelChange>();

    public DbSet<Disclosure> Disclosures => Set<Disclosure>();

    public DbSet<ErasureNotification> ErasureNotifications => Set<ErasureNotification>();

    public DbSet<RectificationNotification> RectificationNotifications => Set<RectificationNotification>();

    public DbSet<RestrictionNotification> RestrictionNotifications => Set<RestrictionNotification>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Recipient>(recipient =>
        {
            recipient.HasKey(r => r.Slug);
            recipient.Property(r => r.Slug).HasMaxLength(64);
            recipient.Property(r => r.Role).HasMaxLength(32);
            recipient.Property(r => r.Channel).HasMaxLength(32);
            recipient.Property(r => r.Country).HasMaxLength(2).IsFixedLength();
            // A native array rather than jsonb: "who may receive payroll data" is one ANY() away.
            recipient.Property(r => r.Categories).HasColumnType("text[]");
            recipient.HasIndex(r => r.Role);
            // Not unique: a recipient added to the middle of the seed file later must not collide with an older one.
            recipient.HasIndex(r => r.Position);
            recipient.Property(r => r.WebhookUrl).HasMaxLength(2048);
            recipient.Property(r => r.WebhookSecret).Encrypted(Protection, RecipientsTable, "webhook_secret_encrypted");
            recipient.Property(r => r.EmailAddress).Encrypted(Protection, RecipientsTable, "email_address_encrypted");
            recipient.Property(r => r.PreviousWebhookSecret).Encrypted(Protection, RecipientsTable, "previous_webhook_secret_encrypted");
            recipient.Property(r => r.ChannelSetBy).HasMaxLength(RecipientChannelChange.MaxChangedByLength);
        });

        modelBuilder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.ToTable(WebhookDeliveriesTable);
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.Recipient).HasMaxLength(64);
            delivery.HasOne<Recipient>().WithMany().HasForeignKey(d => d.Recipient).OnDelete(DeleteBehavior.Restrict);
            delivery.Property(d => d.Type).HasMaxLength(128);
            delivery.Property(d => d.Channel).HasMaxLength(32).HasDefaultValue(RecipientChannels.Webhook);
            delivery.Property<string?>(nameof(WebhookDelivery.Body)).Encrypted(Protection, WebhookDeliveriesTable, "body_encrypted");
            delivery.Property(d => d.TraceParent).HasMaxLength(64);
            // The dispatcher's every poll reads only what is still to be sent, soonest first.
            delivery.HasIndex(d => d.NextAttemptAt).HasFilter("delivered_at IS NULL AND gave_up_at IS NULL");
            delivery.HasMany(d => d.AttemptLog).WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<WebhookDeliveryAttempt>(attempt =>
        {
            attempt.ToTable("webhook_delivery_attempts");
            attempt.HasKey(a => a.Id);
            attempt.Property(a => a.Error).HasMaxLength(WebhookDeliveryAttempt.MaxErrorLength);
            attempt.HasIndex(a => new { a.DeliveryId, a.Number }).IsUnique();
        });

        modelBuilder.Entity<Disclosure>(disclosure =>
        {
            disclosure.HasKey(d => d.Id);
            disclosure.Property(d => d.Recipient).HasMaxLength(64);
            disclosure.HasOne<Recipient>().WithMany().HasForeignKey(d => d.Recipient).OnDelete(DeleteBehavior.Restrict);
            disclosure.Property(d => d.Categories).HasColumnType("text[]");
            disclosure.Property(d => d.LegalBasis).HasMaxLength(32);
            disclosure.Property(d => d.EmailMasked).HasMaxLength(254);
            disclosure.Property(d => d.PhoneMasked).HasMaxLength(16);
            disclosure.Property(d => d.CustomerNumberMasked).HasMaxLength(32);
            disclosure.Property(d => d.BusinessIdMasked).HasMaxLength(9);
            // An erasure asks "who received this subject's data": the subject is the lookup.
            disclosure.HasIndex(d => d.SubjectId);
        });

        modelBuilder.Entity<ErasureNotification>(notification =>
        {
            notification.ConfigureNotice();
            notification.Property(n => n.Categories).HasColumnType("text[]");
        });

        // Further entities and their configuration live beside their model (IEntityTypeConfiguration<T>).

        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DisclosureLogContext).Assembly);

        modelBuilder.AddOutboxAndInbox(Protection).UseDelegateFreeListComparers();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without the AppHost's connection string.</summary>
public sealed class DisclosureLogContextDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<DisclosureLogContext>
{
    public DisclosureLogContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<DisclosureLogContext>()
        .UseNpgsql("Host=localhost;Database=disclosurelogdb")
        .UseSnakeCaseNamingConvention()
        // Migrations need the model's shape, not the real key: nothing is encrypted at design time.
        .UseColumnEncryption(new DisclosureLogProtection(new string('d', 32)))
        .Options);
}
