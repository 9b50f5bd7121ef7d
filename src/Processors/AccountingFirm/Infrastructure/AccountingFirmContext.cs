using Procexon.Messaging;

namespace Procexon.Processors.AccountingFirm.Infrastructure;

public sealed class AccountingFirmContext(DbContextOptions<AccountingFirmContext> options) : DbContext(options)
{
    public const string ClientRecordsTable = "client_records";

    /// <summary>The key the disclosed identifiers are encrypted with at rest.</summary>
    public ClientIdentifierProtection Protection { get; } = options.EncryptionOf<ClientIdentifierProtection>();

    public DbSet<ClientRecord> ClientRecords => Set<ClientRecord>();

    public DbSet<ErasureLogEntry> ErasureLog => Set<ErasureLogEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ClientRecord>(record =>
        {
            record.HasKey(r => r.Id);
            record.HasIndex(r => r.DisclosureId).IsUnique();
            record.HasIndex(r => r.SubjectId);
            record.ToTable(ClientRecordsTable);
            record.Property(r => r.Email).Encrypted(Protection, ClientRecordsTable, "email_encrypted");
            record.Property(r => r.Phone).Encrypted(Protection, ClientRecordsTable, "phone_encrypted");
            record.Property(r => r.CustomerNumber).Encrypted(Protection, ClientRecordsTable, "customer_number_encrypted");
            record.Property(r => r.BusinessId).Encrypted(Protection, ClientRecordsTable, "business_id_encrypted");
            record.Property(r => r.Categories).HasColumnType("text[]");
            record.Property(r => r.LegalBasis).HasMaxLength(32);
        });

        modelBuilder.Entity<ErasureLogEntry>(entry =>
        {
            entry.ToTable("erasure_log");
            entry.HasKey(e => e.NotificationId);
            entry.HasIndex(e => e.RequestId);
        });

        modelBuilder.AddOutboxAndInbox().UseDelegateFreeListComparers();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without the AppHost's connection string.</summary>
public sealed class AccountingFirmContextDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<AccountingFirmContext>
{
    public AccountingFirmContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<AccountingFirmContext>()
        .UseNpgsql("Host=localhost;Database=accountingfirmdb")
        .UseSnakeCaseNamingConvention()
        // Migrations need the model's shape, not the real key: nothing is encrypted at design time.
        .UseColumnEncryption(new ClientIdentifierProtection(new string('d', 32)))
        .Options);
}
