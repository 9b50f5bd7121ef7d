using Procexon.Messaging;

namespace Procexon.Processors.AccountingFirm.Infrastructure;

public sealed class AccountingFirmContext(DbContextOptions<AccountingFirmContext> options) : DbContext(options)
{
    public DbSet<ClientRecord> ClientRecords => Set<ClientRecord>();

    public DbSet<ErasureLogEntry> ErasureLog => Set<ErasureLogEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ClientRecord>(record =>
        {
            record.HasKey(r => r.Id);
            record.HasIndex(r => r.DisclosureId).IsUnique();
            record.HasIndex(r => r.SubjectId);
            record.Property(r => r.Email).HasMaxLength(254);
            record.Property(r => r.Phone).HasMaxLength(16);
            record.Property(r => r.CustomerNumber).HasMaxLength(32);
            record.Property(r => r.BusinessId).HasMaxLength(9);
            record.Property(r => r.Categories).HasColumnType("text[]");
            record.Property(r => r.LegalBasis).HasMaxLength(32);
        });

        modelBuilder.Entity<ErasureLogEntry>(entry =>
        {
            entry.ToTable("erasure_log");
            entry.HasKey(e => e.NotificationId);
            entry.HasIndex(e => e.RequestId);
        });

        modelBuilder.AddOutboxAndInbox();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without the AppHost's connection string.</summary>
public sealed class AccountingFirmContextDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<AccountingFirmContext>
{
    public AccountingFirmContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<AccountingFirmContext>()
        .UseNpgsql("Host=localhost;Database=accountingfirmdb")
        .UseSnakeCaseNamingConvention()
        .Options);
}
