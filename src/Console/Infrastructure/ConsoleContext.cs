using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Procexon.Console.Infrastructure;

/// <summary>
/// What every replica of the console shares, so that a restart or the other replica keeps people signed in: the
/// signed-in sessions (<see cref="StoredSession"/>) and the Data Protection key ring that protects the cookies, the
/// sign-in's correlation and the circuits' component state (sealed, <see cref="Messaging.Encryption.KeyRingSeal"/>).
/// </summary>
public sealed class ConsoleContext(DbContextOptions<ConsoleContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<StoredSession> Sessions => Set<StoredSession>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StoredSession>(session =>
        {
            session.ToTable("sessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.Id).HasMaxLength(64);
            // The purge finds expired sessions by it.
            session.HasIndex(s => s.ExpiresAt);
        });
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }
}

/// <summary>
/// A signed-in session as stored: its id is the SHA-256 of the random key the browser's cookie carries (so the table
/// alone names no cookie), and its ticket — the user's claims and tokens — sealed under <c>Console:SessionKey</c>,
/// bound to that id.
/// </summary>
public sealed class StoredSession
{
    public required string Id { get; init; }

    public required byte[] Ticket { get; set; }

    /// <summary>When the session ends without a further request; null if the ticket names no expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}

public sealed class ConsoleContextDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<ConsoleContext>
{
    public ConsoleContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<ConsoleContext>()
        .UseNpgsql("Host=localhost;Database=consoledb")
        .UseSnakeCaseNamingConvention()
        .Options);
}
