using Procexon.Messaging;

namespace Procexon.Registry.Infrastructure;

public sealed class RegistryContext(DbContextOptions<RegistryContext> options) : DbContext(options)
{
    /// <summary>The keys identifiers are hashed and encrypted with (<see cref="IdentifierProtectionOptionsBuilderExtensions"/>).</summary>
    public IdentifierProtection Protection { get; } = options.EncryptionOf<IdentifierProtection>();

    public DbSet<Register> Registers => Set<Register>();

    public DbSet<RegisterVersion> RegisterVersions => Set<RegisterVersion>();

    public DbSet<Subject> Subjects => Set<Subject>();

    public DbSet<RegisterRecord> Records => Set<RegisterRecord>();

    public DbSet<SuppressionEntry> SuppressionEntries => Set<SuppressionEntry>();

    public DbSet<RegisterErasure> Erasures => Set<RegisterErasure>();

    public DbSet<SubjectMerge> SubjectMerges => Set<SubjectMerge>();

    public DbSet<SubjectIdentifierCorrection> SubjectIdentifierCorrections => Set<SubjectIdentifierCorrection>();

    public DbSet<SubjectAlias> SubjectAliases => Set<SubjectAlias>();

    public DbSet<IdentifierKeyCheck> IdentifierKeyChecks => Set<IdentifierKeyCheck>();

    public DbSet<RetiredLookupHash> RetiredLookupHashes => Set<RetiredLookupHash>();

    public DbSet<SubjectSearch> SubjectSearches => Set<SubjectSearch>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Register>(register =>
        {
            register.HasKey(r => r.Slug);
            register.Property(r => r.Slug).HasMaxLength(64);
            register.Property(r => r.Description).StoredAsJsonb();
            // Two edits of the same version: the second finds the row changed and answers 409.
            register.Property(r => r.Version).IsConcurrencyToken();
            register.HasIndex(r => r.Position);
        });

        modelBuilder.Entity<SubjectSearch>(search =>
        {
            search.ToTable("subject_searches");
            search.HasKey(s => s.Id);
            search.Property(s => s.SearchedBy).HasMaxLength(SubjectSearch.MaxSearchedByLength);
            search.HasIndex(s => s.SearchedAt);
        });

        modelBuilder.Entity<RegisterVersion>(version =>
        {
            version.ToTable("register_versions");
            version.HasKey(v => new { v.Slug, v.Version });
            version.Property(v => v.Slug).HasMaxLength(64);
            version.Property(v => v.Description).StoredAsJsonb();
            version.Property(v => v.ChangedBy).HasMaxLength(RegisterVersion.MaxChangedByLength);
            version.Property(v => v.ChangeNote).HasMaxLength(EditRegisterBody.MaxChangeNoteLength);
            version.HasOne<Register>().WithMany().HasForeignKey(v => v.Slug).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<Subject>(subject =>
        {
            subject.HasKey(s => s.Id);
            subject.Property(s => s.Name).HasMaxLength(200);
            SubjectIdentifierColumns.Configure(subject, Protection);
        });

        modelBuilder.Entity<SubjectAlias>().Property(a => a.CustomerNumber).Encrypted(Protection, "subject_aliases", "customer_number_encrypted");

        modelBuilder.Entity<RegisterRecord>(record =>
        {
            record.ToTable("records");
            record.HasKey(r => r.Id);
            record.Property(r => r.Register).HasMaxLength(64);
            record.Property(r => r.Category).HasMaxLength(64);
            record.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
            record.Property(r => r.RetentionRule).HasMaxLength(64);
            record.Property(r => r.Fields).StoredAsJsonb();
            record.HasOne<Subject>().WithMany().HasForeignKey(r => r.SubjectId).OnDelete(DeleteBehavior.Restrict);
            record.HasOne<Register>().WithMany().HasForeignKey(r => r.Register).OnDelete(DeleteBehavior.Restrict);
            record.HasIndex(r => new { r.SubjectId, r.Register });
            // A lifted hold finds what it kept.
            record.HasIndex(r => r.LegalHoldId).HasFilter("legal_hold_id IS NOT NULL");
        });

        modelBuilder.Entity<SuppressionEntry>(entry =>
        {
            entry.HasKey(e => e.KeyHash);
            entry.Property(e => e.KeyHash).HasMaxLength(64);
            entry.Property(e => e.Kind).HasMaxLength(16);
        });

        modelBuilder.Entity<RegisterErasure>(erasure =>
        {
            erasure.ToTable("register_erasures");
            erasure.HasKey(e => new { e.RequestId, e.Register });
            erasure.Property(e => e.Register).HasMaxLength(64);
            erasure.Property(e => e.Outcome).HasMaxLength(32);
        });

        // Further entities and their configuration live beside their model (IEntityTypeConfiguration<T>).

        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistryContext).Assembly);

        modelBuilder.AddOutboxAndInbox(Protection).UseDelegateFreeListComparers();
    }

}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without the AppHost's connection string.</summary>
public sealed class RegistryContextDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<RegistryContext>
{
    public RegistryContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<RegistryContext>()
        .UseNpgsql("Host=localhost;Database=registrydb")
        .UseSnakeCaseNamingConvention()
        // Migrations need the model's shape, not real keys: nothing is encrypted at design time.
        .UseIdentifierProtection(new IdentifierProtection(new string('d', 32), new string('e', 32)))
        .Options);
}
