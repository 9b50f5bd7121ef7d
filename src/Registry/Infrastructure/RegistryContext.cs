using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Procexon.Messaging;

namespace Procexon.Registry.Infrastructure;

public sealed class RegistryContext(DbContextOptions<RegistryContext> options) : DbContext(options)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public DbSet<Register> Registers => Set<Register>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Register>(register =>
        {
            register.HasKey(r => r.Slug);
            register.Property(r => r.Slug).HasMaxLength(64);
            register.Property(r => r.Description)
                .HasColumnType("jsonb")
                .HasConversion(
                    description => JsonSerializer.Serialize(description, s_json),
                    json => JsonSerializer.Deserialize<RegisterDescription>(json, s_json)!,
                    new ValueComparer<RegisterDescription>(
                        (a, b) => JsonSerializer.Serialize(a, s_json) == JsonSerializer.Serialize(b, s_json),
                        d => JsonSerializer.Serialize(d, s_json).GetHashCode(StringComparison.Ordinal)));
            register.HasIndex(r => r.Position);
        });

        modelBuilder.AddOutboxAndInbox();
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without the AppHost's connection string.</summary>
public sealed class RegistryContextDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<RegistryContext>
{
    public RegistryContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<RegistryContext>()
        .UseNpgsql("Host=localhost;Database=registrydb")
        .UseSnakeCaseNamingConvention()
        .Options);
}
