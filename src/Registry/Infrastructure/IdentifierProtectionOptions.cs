using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Procexon.Registry.Infrastructure;

/// <summary>
/// The subject's identifiers at rest, transparent to domain code: <see cref="Subject"/> holds clear, normalised values
/// in memory; the database holds the identity code only encrypted, and one keyed hash per identifier kind that every
/// lookup and uniqueness check uses. The hashes are shadow properties filled on save, so code that sets
/// <c>subject.Email</c> anywhere keeps them right without knowing they exist.
/// </summary>
public static class SubjectIdentifierColumns
{
    public const string EmailHash = "EmailHash";
    public const string PhoneHash = "PhoneHash";
    public const string HetuHash = "HetuHash";
    public const string BusinessIdHash = "BusinessIdHash";
    public const string CustomerNumberHash = "CustomerNumberHash";

    public static readonly IReadOnlyList<(string Property, IdentifierKind Kind, Func<Subject, string?> Value)> Hashes =
    [
        (EmailHash, IdentifierKind.Email, s => s.Email),
        (PhoneHash, IdentifierKind.Phone, s => s.Phone),
        (HetuHash, IdentifierKind.Hetu, s => s.Hetu),
        (BusinessIdHash, IdentifierKind.BusinessId, s => s.BusinessId),
        (CustomerNumberHash, IdentifierKind.CustomerNumber, s => s.CustomerNumber),
    ];

    public static void Configure(EntityTypeBuilder<Subject> subject, IdentifierProtection protection)
    {
        // E-mail and phone stay readable: the controller contacts the subject by them (answers to requests, Art 19).
        // They are never searched in clear, so they carry no index.
        subject.Property(s => s.Email).HasMaxLength(254);
        subject.Property(s => s.Phone).HasMaxLength(16);
        subject.Property(s => s.BusinessId).HasMaxLength(9);
        subject.Property(s => s.CustomerNumber).HasMaxLength(32);
        // Encrypted with a fresh nonce on every write; comparing in a query would never match, so nothing queries it.
        subject.Property(s => s.Hetu)
            .HasColumnName("hetu_encrypted")
            .HasColumnType("bytea")
            .HasConversion(new ValueConverter<string?, byte[]>(
                hetu => protection.EncryptHetu(hetu!),
                stored => protection.DecryptHetu(stored)));

        foreach (var (property, _, _) in Hashes)
        {
            subject.Property<byte[]>(property).HasColumnType("bytea");
        }

        // One person, one subject: an identifier that already names someone is a conflict, not a second subject.
        subject.HasIndex(EmailHash).IsUnique().HasFilter("email_hash IS NOT NULL");
        subject.HasIndex(HetuHash).IsUnique().HasFilter("hetu_hash IS NOT NULL");
        subject.HasIndex(CustomerNumberHash).IsUnique().HasFilter("customer_number_hash IS NOT NULL");
        subject.HasIndex(PhoneHash).HasFilter("phone_hash IS NOT NULL");
        subject.HasIndex(BusinessIdHash).HasFilter("business_id_hash IS NOT NULL");
    }

    public static byte[]? HashOf(this Subject subject, RegistryContext db, string property) =>
        db.Entry(subject).Property<byte[]?>(property).CurrentValue;
}

/// <summary>Fills the hash columns of every added or changed subject just before it is written.</summary>
public sealed class SubjectIdentifierHashing(IdentifierProtection protection) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Fill(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Fill(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Fill(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // Entries() detects changes first, so a subject changed through its properties alone is seen here.
        foreach (var entry in context.ChangeTracker.Entries<Subject>().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            foreach (var (property, kind, value) in SubjectIdentifierColumns.Hashes)
            {
                SetIfChanged(entry.Property<byte[]?>(property), protection.HashOrNull(kind, value(entry.Entity)));
            }
        }
    }

    private static void SetIfChanged(PropertyEntry<Subject, byte[]?> property, byte[]? hash)
    {
        var current = property.CurrentValue;
        if (current is null ? hash is not null : hash is null || !current.AsSpan().SequenceEqual(hash))
        {
            property.CurrentValue = hash;
        }
    }
}

/// <summary>Carries the keys into the context's options, so the model (and its hetu converter) is built with them.</summary>
public sealed class IdentifierProtectionOptionsExtension(IdentifierProtection protection) : IDbContextOptionsExtension
{
    public IdentifierProtection Protection { get; } = protection;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    // Different keys, different internal service provider, hence a different cached model with the right converter.
    private sealed class ExtensionInfo(IdentifierProtectionOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        private new IdentifierProtectionOptionsExtension Extension => (IdentifierProtectionOptionsExtension)base.Extension;

        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "IdentifierProtection ";

        public override int GetServiceProviderHashCode() => StringComparer.Ordinal.GetHashCode(Extension.Protection.Fingerprint);

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) =>
            other is ExtensionInfo info && info.Extension.Protection.Fingerprint == Extension.Protection.Fingerprint;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["Registry:IdentifierProtection"] = Extension.Protection.Fingerprint;
    }
}

public static class IdentifierProtectionOptionsBuilderExtensions
{
    public static TBuilder UseIdentifierProtection<TBuilder>(this TBuilder options, IdentifierProtection protection)
        where TBuilder : DbContextOptionsBuilder
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new IdentifierProtectionOptionsExtension(protection));
        options.AddInterceptors(new SubjectIdentifierHashing(protection));
        return options;
    }
}
