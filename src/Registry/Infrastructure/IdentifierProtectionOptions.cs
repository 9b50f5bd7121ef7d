using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Procexon.Messaging.Database;

namespace Procexon.Registry.Infrastructure;

/// <summary>
/// The subject's identifiers at rest, transparent to domain code: <see cref="Subject"/> holds clear, normalised values
/// in memory; the database holds them only encrypted, and one keyed hash per identifier kind that every
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

    public const string Table = "subjects";

    public static void Configure(EntityTypeBuilder<Subject> subject, IdentifierProtection protection)
    {
        // Every identifier is stored only encrypted, bound to its column: the controller reads e-mail and phone back to
        // contact the subject (answers, Art 19 notices) and shows the rest to staff, but never searches them in clear.
        subject.Property(s => s.Email).Encrypted(protection, Table, "email_encrypted");
        subject.Property(s => s.Phone).Encrypted(protection, Table, "phone_encrypted");
        subject.Property(s => s.Hetu).Encrypted(protection, Table, "hetu_encrypted");
        subject.Property(s => s.BusinessId).Encrypted(protection, Table, "business_id_encrypted");
        subject.Property(s => s.CustomerNumber).Encrypted(protection, Table, "customer_number_encrypted");

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

        // Each subject's own changes are detected, so one changed through its properties alone is seen here; the rest of
        // what the context tracks is left to the detection SaveChanges runs after its interceptors.
        foreach (var entry in context.ChangeTracker.EntriesAsTracked<Subject>())
        {
            entry.DetectChanges();
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

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

public static class IdentifierProtectionOptionsBuilderExtensions
{
    public static TBuilder UseIdentifierProtection<TBuilder>(this TBuilder options, IdentifierProtection protection)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseColumnEncryption(protection);
        options.AddInterceptors(new SubjectIdentifierHashing(protection));
        return options;
    }
}
