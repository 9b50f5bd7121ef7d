using Procexon.Messaging;

namespace Procexon.DisclosureLog.Infrastructure;

public sealed class DisclosureLogContext(DbContextOptions<DisclosureLogContext> options) : DbContext(options)
{
    public DbSet<Recipient> Recipients => Set<Recipient>();

    public DbSet<Disclosure> Disclosures => Set<Disclosure>();

    public DbSet<ErasureNotification> ErasureNotifications => Set<ErasureNotification>();

    public DbSet<RectificationNotification> RectificationNotifications => Set<RectificationNotification>();

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

        modelBuilder.AddOutboxAndInbox();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without the AppHost's connection string.</summary>
public sealed class DisclosureLogContextDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<DisclosureLogContext>
{
    public DisclosureLogContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<DisclosureLogContext>()
        .UseNpgsql("Host=localhost;Database=disclosurelogdb")
        .UseSnakeCaseNamingConvention()
        .Options);
}
