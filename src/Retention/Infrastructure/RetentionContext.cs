using Procexon.Messaging;

namespace Procexon.Retention.Infrastructure;

public sealed class RetentionContext(DbContextOptions<RetentionContext> options) : DbContext(options)
{
    public DbSet<RetentionRule> RetentionRules => Set<RetentionRule>();

    public DbSet<LegalHold> LegalHolds => Set<LegalHold>();

    public DbSet<PlacedLegalHold> PlacedLegalHolds => Set<PlacedLegalHold>();

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

        modelBuilder.Entity<LegalHold>(hold =>
        {
            hold.ToTable("legal_holds");
            hold.HasKey(h => h.Id);
            hold.Property(h => h.Register).HasMaxLength(64);
            hold.Property(h => h.RetentionRule).HasMaxLength(64);
            hold.Property(h => h.Category).HasMaxLength(100);
            hold.Property(h => h.Status)
                .HasConversion(status => LegalHoldStatuses.Name(status), name => LegalHoldStatuses.Parse(name))
                .HasMaxLength(16);
            // A redelivered answer cannot schedule twice. The date is part of the key: one answer may keep the same
            // category under the same rule until different days (vouchers of two years), and each goes on its own day.
            hold.HasIndex(h => new { h.RequestId, h.SubjectId, h.Register, h.RetentionRule, h.Category, h.RetainUntil })
                .HasDatabaseName("ux_legal_holds_one_per_request_and_data")
                .IsUnique();
            hold.HasIndex(h => new { h.SubjectId, h.RetainUntil });
            // The sweep looks only at scheduled holds; released and erased ones pile up and stay out of this index.
            hold.HasIndex(h => h.RetainUntil)
                .HasDatabaseName("ix_legal_holds_scheduled_retain_until")
                .HasFilter($"status = '{LegalHoldStatuses.Scheduled}'");
        });

        modelBuilder.Entity<PlacedLegalHold>(hold =>
        {
            hold.ToTable("placed_legal_holds");
            hold.HasKey(h => h.Id);
            hold.Property(h => h.Register).HasMaxLength(64);
            hold.Property(h => h.Basis).HasMaxLength(32);
            hold.Property(h => h.Reason).HasMaxLength(PlacedLegalHold.MaxReasonLength);
            hold.Property(h => h.PlacedBy).HasMaxLength(200);
            hold.Property(h => h.LiftedBy).HasMaxLength(200);
            hold.Property(h => h.LiftReason).HasMaxLength(PlacedLegalHold.MaxReasonLength);
            hold.Ignore(h => h.InForce);
            hold.HasIndex(h => new { h.SubjectId, h.PlacedAt });
            // The log is read newest first across subjects, mostly the holds still in force.
            hold.HasIndex(h => h.PlacedAt);
            hold.HasIndex(h => h.PlacedAt, "InForcePlacedAt")
                .HasDatabaseName("ix_placed_legal_holds_in_force_placed_at")
                .HasFilter("lifted_at IS NULL");
        });

        modelBuilder.AddOutboxAndInbox().UseDelegateFreeListComparers();
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
