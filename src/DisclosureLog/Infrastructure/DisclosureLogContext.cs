using Procexon.Messaging;

namespace Procexon.DisclosureLog.Infrastructure;

public sealed class DisclosureLogContext(DbContextOptions<DisclosureLogContext> options) : DbContext(options)
{
    public DbSet<Recipient> Recipients => Set<Recipient>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Recipient>(recipient =>
        {
            recipient.HasKey(r => r.Slug);
            recipient.Property(r => r.Slug).HasMaxLength(64);
            recipient.Property(r => r.Role).HasMaxLength(32);
            recipient.Property(r => r.Country).HasMaxLength(2).IsFixedLength();
            // A native array rather than jsonb: "who may receive payroll data" is one ANY() away.
            recipient.Property(r => r.Categories).HasColumnType("text[]");
            recipient.HasIndex(r => r.Role);
            // Not unique: a recipient added to the middle of the seed file later must not collide with an older one.
            recipient.HasIndex(r => r.Position);
        });

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
