using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Procexon.Messaging;
using Procexon.Messaging.Database;

namespace Procexon.RightsRequests.Infrastructure;

public sealed class RightsRequestsContext(DbContextOptions<RightsRequestsContext> options) : DbContext(options)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>The key the requester's identifiers are encrypted with at rest (<see cref="RequesterIdentifierProtection"/>).</summary>
    public RequesterIdentifierProtection Protection { get; } = options.EncryptionOf<RequesterIdentifierProtection>();

    public DbSet<RightsRequest> Requests => Set<RightsRequest>();

    /// <summary>
    /// Reads a request with its fan-out rows and locks its row until the transaction ends, so that answers arriving
    /// at once are applied one after another and the last one sees all the others.
    /// </summary>
    public async Task<RightsRequest?> LockRequestAsync(Guid id, CancellationToken cancellationToken) =>
        (await LockRequestsAsync([id], cancellationToken)).GetValueOrDefault(id);

    /// <summary>
    /// Reads the requests with their fan-out rows and locks their rows until the transaction ends, in id order so that
    /// two batches about overlapping requests cannot deadlock. Unknown ids are simply absent from the result.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, RightsRequest>> LockRequestsAsync(Guid[] ids, CancellationToken cancellationToken)
    {
        // The lock stays a statement of its own, before the read: EF Core does not map the subject's complex-type columns
        // over FromSql, and a read that locked as well (FOR UPDATE OF the request) would, after waiting for another
        // transaction, return the request's new row joined to the fan-out rows as they were before that transaction.
        var locked = await (ids.Length == 1
                ? Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM rights_requests WHERE id = {ids[0]} FOR UPDATE")
                : Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM rights_requests WHERE id = ANY({ids}) ORDER BY id FOR UPDATE"))
            .ToListAsync(cancellationToken);
        return locked.Count == 0 ? new Dictionary<Guid, RightsRequest>() : await ReadLockedRequestsAsync([.. locked], cancellationToken);
    }

    /// <summary>
    /// Reads requests whose rows this transaction has locked already (<see cref="LockRequestsAsync"/>, or a batch
    /// consumer's claim), with their fan-out rows. Unknown ids are simply absent from the result.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, RightsRequest>> ReadLockedRequestsAsync(Guid[] ids, CancellationToken cancellationToken) =>
        // The fan-out rows in the same round trip as the request (ten registers times a few recipients per request is a
        // small product) instead of a split query of three. By key (KeyedRows): for one request, a batch's usual size at a
        // moderate rate, PostgreSQL plans this join once per connection, not at every call.
        await Requests
            .Include(r => r.Registers)
            .Include(r => r.Recipients)
            .AsSingleQuery()
            .WhereKeyIn(r => r.Id, ids)
            .ToDictionaryAsync(r => r.Id, cancellationToken);

    /// <summary>The requests' table, whose rows answers lock.</summary>
    public const string RequestsTable = "rights_requests";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RightsRequest>(request =>
        {
            request.ToTable(RequestsTable);
            request.HasKey(r => r.Id);
            request.Property(r => r.Type).HasConversion<string>().HasMaxLength(32);
            request.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
            request.Property(r => r.Channel).HasMaxLength(32);
            request.Property(r => r.Details).HasMaxLength(4000);
            // Encrypted with a fresh nonce on every write, so nothing queries these columns (a comparison never matches).
            request.ComplexProperty(r => r.Subject, subject =>
            {
                subject.Property(s => s.Name).Encrypted(Protection, "rights_requests", "subject_name");
                subject.Property(s => s.Email).Encrypted(Protection, "rights_requests", "subject_email");
                subject.Property(s => s.Phone).Encrypted(Protection, "rights_requests", "subject_phone");
                subject.Property(s => s.Hetu).Encrypted(Protection, "rights_requests", "subject_hetu");
                subject.Property(s => s.BusinessId).Encrypted(Protection, "rights_requests", "subject_business_id");
                subject.Property(s => s.CustomerNumber).Encrypted(Protection, "rights_requests", "subject_customer_number");
            });
            // The registry's identifiers of the matched subjects (identity codes among them): one encrypted JSON document.
            request.Property(r => r.HeldIdentifiers)
                .HasAnnotation(EncryptedColumns.Annotation, "rights_requests.held_identifiers")
                .HasColumnName("held_identifiers")
                .HasColumnType("bytea")
                .HasConversion(
                    items => Protection.Encrypt("held_identifiers", JsonSerializer.Serialize(items, s_json)),
                    // Empty only in rows written before encryption, whose clear identifiers the migration dropped.
                    stored => stored.Length == 0
                        ? new List<HeldIdentifiers>()
                        : JsonSerializer.Deserialize<List<HeldIdentifiers>>(Protection.Decrypt("held_identifiers", stored), s_json) ?? new List<HeldIdentifiers>(),
                    new ListComparer<HeldIdentifiers>());
            // A rectification's new values (an e-mail, a phone, a name) are identifiers too.
            request.Property(r => r.Corrections).EncryptedJson(Protection, "rights_requests", "corrections_encrypted");
            request.Property(r => r.VerificationMethod).HasConversion<string>().HasMaxLength(32);
            request.Property(r => r.VerifiedBy).HasMaxLength(200);
            request.Property(r => r.VerifiedIdentifiers).HasColumnType("text[]");
            request.HasMany(r => r.Registers).WithOne().HasForeignKey(r => r.RequestId).OnDelete(DeleteBehavior.Cascade);
            request.HasMany(r => r.Recipients).WithOne().HasForeignKey(r => r.RequestId).OnDelete(DeleteBehavior.Cascade);
            request.HasIndex(r => new { r.Status, r.DueOn });
            // The inbox's unfiltered page, soonest due first: read off this index instead of sorting every request.
            request.HasIndex(r => new { r.DueOn, r.ReceivedAt, r.Id });
        });

        modelBuilder.Entity<RegisterAnswer>(answer =>
        {
            answer.ToTable("register_answers");
            answer.HasKey(r => new { r.RequestId, r.Register });
            answer.Property(r => r.Register).HasMaxLength(64);
            answer.ComplexProperty(r => r.Name, Named);
            answer.Property(r => r.Outcome).HasMaxLength(32);
            answer.Property(r => r.Retained)
                .HasColumnType("jsonb")
                .HasConversion(
                    items => JsonSerializer.Serialize(items, s_json),
                    json => JsonSerializer.Deserialize<List<RetainedItem>>(json, s_json) ?? new List<RetainedItem>(),
                    new ListComparer<RetainedItem>());
            answer.Property(r => r.Held)
                .HasColumnType("jsonb")
                .HasConversion(
                    items => JsonSerializer.Serialize(items, s_json),
                    json => JsonSerializer.Deserialize<List<HeldItem>>(json, s_json) ?? new List<HeldItem>(),
                    new ListComparer<HeldItem>());
            answer.ComplexProperty(r => r.Note);
            answer.Ignore(r => r.IsPending);
        });

        modelBuilder.Entity<RecipientAnswer>(notice =>
        {
            notice.ToTable("recipient_notices");
            notice.HasKey(r => new { r.RequestId, r.Recipient });
            notice.Property(r => r.Recipient).HasMaxLength(64);
            notice.ComplexProperty(r => r.Name, Named);
            notice.Ignore(r => r.IsConfirmed);
        });

        // Further entities and their configuration live beside their model (IEntityTypeConfiguration<T>).

        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RightsRequestsContext).Assembly);

        // The subject's records in an answer copy (addresses, e-mails, ...): one encrypted JSON document, never queried.
        modelBuilder.Entity<RegisterDataCopy>().Property(c => c.Records)
            .EncryptedJson(Protection, RegisterDataCopyConfiguration.Table, "records_encrypted");

        modelBuilder.AddOutboxAndInbox(Protection).UseDelegateFreeListComparers();
    }

    private static void Named(ComplexPropertyBuilder<LocalizedText> name)
    {
        name.Property(t => t.Fi).HasMaxLength(200);
        name.Property(t => t.En).HasMaxLength(200);
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without the AppHost's connection string.</summary>
public sealed class RightsRequestsContextDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<RightsRequestsContext>
{
    public RightsRequestsContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<RightsRequestsContext>()
        .UseNpgsql("Host=localhost;Database=rightsrequestsdb")
        .UseSnakeCaseNamingConvention()
        // Migrations need the model's shape, not the real key: nothing is encrypted at design time.
        .UseColumnEncryption(new RequesterIdentifierProtection(new string('d', 32)))
        .Options);
}
