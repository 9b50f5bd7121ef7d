using Procexon.Messaging;

namespace Procexon.Retention.Infrastructure;

public sealed class RetentionContext(DbContextOptions<RetentionContext> options) : DbContext(options)
{
    public DbSet<RetentionRule> RetentionRules => Set<RetentionRule>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RetentionRule>(rule =>
        {
            rule.HasKey(r => r.Id);
            rule.Property(r => r.Id).HasMaxLength(64);
            rule.Property(r => r.Register).HasMaxLength(64);
            rule.Property(r => r.LegalBasis).HasMaxLength(32);
            rule.Property(r => r.Period).HasMaxLength(32);
            rule.Property(r => r.StartsAt).HasMaxLength(64);
            rule.Property(r => r.OnExpiry).HasMaxLength(32);
            rule.HasIndex(r => r.Register);
            // Not unique: a rule added to the middle of the seed file later must not collide with an older one.
            rule.HasIndex(r => r.Position);
        });

        modelBuilder.AddOutboxAndInbox();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without the AppHost's connection string.</summary>
public sealed class RetentionContextDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<RetentionContext>
{
    public RetentionContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<RetentionContext>()
        .UseNpgsql("Host=localhost;Database=retentiondb")
        .UseSnakeCaseNamingConvention()
        .Options);
}
