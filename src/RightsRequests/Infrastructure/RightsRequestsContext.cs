using Procexon.Messaging;

namespace Procexon.RightsRequests.Infrastructure;

public sealed class RightsRequestsContext(DbContextOptions<RightsRequestsContext> options) : DbContext(options)
{
    public DbSet<RightsRequest> Requests => Set<RightsRequest>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RightsRequest>(request =>
        {
            request.ToTable("rights_requests");
            request.HasKey(r => r.Id);
            request.Property(r => r.Type).HasConversion<string>().HasMaxLength(32);
            request.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
            request.Property(r => r.Channel).HasMaxLength(32);
            request.Property(r => r.Details).HasMaxLength(4000);
            request.ComplexProperty(r => r.Subject, subject =>
            {
                subject.Property(s => s.Name).HasMaxLength(200);
                subject.Property(s => s.Email).HasMaxLength(254);
                subject.Property(s => s.Phone).HasMaxLength(16);
                subject.Property(s => s.Hetu).HasMaxLength(11);
                subject.Property(s => s.BusinessId).HasMaxLength(9);
                subject.Property(s => s.CustomerNumber).HasMaxLength(32);
            });
            request.HasIndex(r => new { r.Status, r.DueOn });
        });

        modelBuilder.AddOutboxAndInbox();
    }
}

public sealed class RightsRequestsContextDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<RightsRequestsContext>
{
    public RightsRequestsContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<RightsRequestsContext>()
        .UseNpgsql("Host=localhost;Database=rightsrequestsdb")
        .UseSnakeCaseNamingConvention()
        .Options);
}
