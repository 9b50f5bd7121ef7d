using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;

namespace Procexon.Registry.Model;

/// <summary>Finding subjects by their identifiers, shared by the API and the erasure consumers.</summary>
public static class SubjectLookup
{
    /// <summary>
    /// Subjects any of the given personal identifiers names, found through the identifiers' keyed hashes (the clear
    /// values are never queried). A business ID names a company, not a person, so it only counts when nothing
    /// personal was given: erasing one contact must not take the company's other people.
    /// </summary>
    public static IQueryable<Subject> Matching(DbSet<Subject> subjects, SubjectKeys keys) =>
        Matching(subjects, ContextOf(subjects).Protection.Hasher.HashesOf(keys));

    /// <summary>
    /// The same, from hashes a request carried (RightsRequests hashes with the same lookup key). Hashes made with a
    /// retired key match the hashes kept from before the rotation; with any other key they throw: they would silently
    /// match nobody, and an erasure would answer "not held" everywhere.
    /// </summary>
    public static IQueryable<Subject> Matching(DbSet<Subject> subjects, SubjectKeyHashes hashes)
    {
        var db = ContextOf(subjects);
        var personal = hashes.Email is not null || hashes.Phone is not null || hashes.Hetu is not null || hashes.CustomerNumber is not null;
        if (db.Protection.IsRetiredLookupKey(hashes.KeyId))
        {
            return MatchingRetired(db, subjects, hashes, personal);
        }

        db.Protection.Hasher.EnsureSameKey(hashes, IdentifierProtection.IdentifierKeySetting);

        // Only the identifiers given become conditions: each one an index probe the planner ORs together.
        Expression<Func<Subject, bool>>? match = null;
        void Or(Expression<Func<Subject, bool>> condition) => match = match is null ? condition
            : Expression.Lambda<Func<Subject, bool>>(
                Expression.OrElse(match.Body, ReplacingExpressionVisitor.Replace(condition.Parameters[0], match.Parameters[0], condition.Body)),
                match.Parameters);

        if (hashes.Email is { } email)
        {
            Or(s => EF.Property<byte[]>(s, SubjectIdentifierColumns.EmailHash) == email);
        }

        if (hashes.Phone is { } phone)
        {
            Or(s => EF.Property<byte[]>(s, SubjectIdentifierColumns.PhoneHash) == phone);
        }

        if (hashes.Hetu is { } hetu)
        {
            Or(s => EF.Property<byte[]>(s, SubjectIdentifierColumns.HetuHash) == hetu);
        }

        if (hashes.CustomerNumber is { } customerNumber)
        {
            Or(s => EF.Property<byte[]>(s, SubjectIdentifierColumns.CustomerNumberHash) == customerNumber);
            // A merged duplicate's customer number still finds the person it went into. Uncorrelated, so PostgreSQL
            // runs it once and probes the primary key with the answer (a correlated EXISTS would scan every subject).
            var aliases = db.SubjectAliases;
            Or(s => s.Id == aliases.Where(a => a.KeyHash == customerNumber).Select(a => (Guid?)a.SubjectId).FirstOrDefault());
        }

        if (!personal && hashes.BusinessId is { } businessId)
        {
            Or(s => EF.Property<byte[]>(s, SubjectIdentifierColumns.BusinessIdHash) == businessId);
        }

        return match is null ? subjects.Where(_ => false) : subjects.Where(match);
    }

    /// <summary>
    /// Hashes made before a rotation (<see cref="Infrastructure.LookupKeyRotation"/>): each kind's hash is distinct by
    /// construction, so one probe of the kept hashes finds them all, with the same rule for a business ID.
    /// </summary>
    private static IQueryable<Subject> MatchingRetired(RegistryContext db, DbSet<Subject> subjects, SubjectKeyHashes hashes, bool personal)
    {
        byte[]?[] given = personal ? [hashes.Email, hashes.Phone, hashes.Hetu, hashes.CustomerNumber] : [hashes.BusinessId];
        var probes = given.OfType<byte[]>().ToList();
        var keyId = hashes.KeyId;
        var matched = db.RetiredLookupHashes.Where(h => h.KeyId == keyId && probes.Contains(h.Hash)).Select(h => h.SubjectId);
        return subjects.Where(s => matched.Contains(s.Id));
    }

    private static RegistryContext ContextOf(DbSet<Subject> subjects) =>
        (RegistryContext)Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions
            .GetService<Microsoft.EntityFrameworkCore.Infrastructure.ICurrentDbContext>(subjects).Context;

    public static KeyHashes HashesOf(IdentifierProtection protection, SubjectKeys keys) => new(
        protection.HashOrNull(IdentifierKind.Email, keys.Email),
        protection.HashOrNull(IdentifierKind.Phone, keys.Phone),
        protection.HashOrNull(IdentifierKind.Hetu, keys.Hetu),
        protection.HashOrNull(IdentifierKind.BusinessId, keys.BusinessId),
        protection.HashOrNull(IdentifierKind.CustomerNumber, keys.CustomerNumber));

    public static async Task<Dictionary<Guid, IReadOnlyList<string>>> RegistersHoldingAsync(
        RegistryContext db, IEnumerable<Guid> subjectIds, CancellationToken cancellationToken)
    {
        var ids = subjectIds.ToList();
        var pairs = await db.Records.Where(r => ids.Contains(r.SubjectId))
            .Select(r => new HeldIn(r.SubjectId, r.Register)).Distinct().ToListAsync(cancellationToken);
        return PerSubject(pairs);
    }

    /// <summary>
    /// Records a search and reads the registers holding what it found in one statement, which commits the record as it
    /// answers: a search that could not be recorded is not answered, and the record costs no round trip of its own.
    /// </summary>
    public static async Task<Dictionary<Guid, IReadOnlyList<string>>> RecordSearchAsync(
        RegistryContext db, SubjectSearch search, IEnumerable<Guid> found, CancellationToken cancellationToken)
    {
        var ids = found.ToArray();
        var pairs = await db.Database.SqlQuery<HeldIn>($"""
            WITH recorded AS (
                INSERT INTO subject_searches (id, searched_at, searched_by, identifier_kinds, found)
                VALUES ({search.Id}, {search.SearchedAt}, {search.SearchedBy}, {search.IdentifierKinds}, {search.Found}))
            SELECT DISTINCT subject_id, register FROM records WHERE subject_id = ANY({ids})
            """).ToListAsync(cancellationToken);
        return PerSubject(pairs);
    }

    private static Dictionary<Guid, IReadOnlyList<string>> PerSubject(List<HeldIn> pairs) => pairs.GroupBy(p => p.SubjectId)
        .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Register).Order(StringComparer.Ordinal)]);

    private sealed record HeldIn(Guid SubjectId, string Register);

    /// <summary>The first unique identifier (email, hetu, customerNumber) that already names another subject.</summary>
    public static async Task<(string Field, Guid SubjectId)?> FindConflictAsync(
        RegistryContext db, ValidSubjectIdentifiers identifiers, CancellationToken cancellationToken, Guid? except = null)
    {
        var hashes = HashesOf(db.Protection, identifiers.ToKeys());
        var (email, hetu, customerNumber) = (hashes.Email, hashes.Hetu, hashes.CustomerNumber);
        if (email is null && hetu is null && customerNumber is null)
        {
            return null;
        }

        var existing = await db.Subjects.AsNoTracking()
            .Where(s => s.Id != except)
            .Where(s => (email != null && EF.Property<byte[]>(s, SubjectIdentifierColumns.EmailHash) == email)
                || (hetu != null && EF.Property<byte[]>(s, SubjectIdentifierColumns.HetuHash) == hetu)
                || (customerNumber != null && EF.Property<byte[]>(s, SubjectIdentifierColumns.CustomerNumberHash) == customerNumber))
            .Select(s => new
            {
                s.Id,
                Email = EF.Property<byte[]>(s, SubjectIdentifierColumns.EmailHash),
                Hetu = EF.Property<byte[]>(s, SubjectIdentifierColumns.HetuHash),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is null)
        {
            var aliased = customerNumber is null ? null
                : await db.SubjectAliases.AsNoTracking().Where(a => a.KeyHash == customerNumber && a.SubjectId != except)
                    .Select(a => (Guid?)a.SubjectId).FirstOrDefaultAsync(cancellationToken);
            return aliased is { } aliasOwner ? ("customerNumber", aliasOwner) : null;
        }

        var field = email is not null && Same(existing.Email, email) ? "email"
            : hetu is not null && Same(existing.Hetu, hetu) ? "hetu"
            : "customerNumber";
        return (field, existing.Id);
    }

    private static bool Same(byte[]? a, byte[] b) => a is not null && a.AsSpan().SequenceEqual(b);

    public static Subject NewSubject(ValidSubjectIdentifiers identifiers, TimeProvider clock) => new()
    {
        Id = Guid.CreateVersion7(),
        Name = identifiers.Name,
        Email = identifiers.Email?.Value,
        Phone = identifiers.Phone?.Value,
        Hetu = identifiers.Hetu?.Value,
        BusinessId = identifiers.BusinessId?.Value,
        CustomerNumber = identifiers.CustomerNumber?.Value,
        CreatedAt = clock.GetUtcNow(),
    };
}

/// <summary>The keyed hashes of the identifiers asked for; null where none was given.</summary>
public sealed record KeyHashes(byte[]? Email, byte[]? Phone, byte[]? Hetu, byte[]? BusinessId, byte[]? CustomerNumber);
