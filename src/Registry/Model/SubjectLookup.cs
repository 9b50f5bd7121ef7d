namespace Procexon.Registry.Model;

/// <summary>Finding subjects by their identifiers, shared by the API and the erasure consumers.</summary>
public static class SubjectLookup
{
    /// <summary>
    /// Subjects any of the given personal identifiers names. A business ID names a company, not a person, so it
    /// only counts when nothing personal was given: erasing one contact must not take the company's other people.
    /// </summary>
    public static IQueryable<Subject> Matching(IQueryable<Subject> subjects, SubjectKeys keys)
    {
        var personal = keys.Email is not null || keys.Phone is not null || keys.Hetu is not null || keys.CustomerNumber is not null;
        return subjects.Where(s =>
            (keys.Email != null && s.Email == keys.Email)
            || (keys.Phone != null && s.Phone == keys.Phone)
            || (keys.Hetu != null && s.Hetu == keys.Hetu)
            || (keys.CustomerNumber != null && s.CustomerNumber == keys.CustomerNumber)
            || (!personal && keys.BusinessId != null && s.BusinessId == keys.BusinessId));
    }

    public static async Task<Dictionary<Guid, IReadOnlyList<string>>> RegistersHoldingAsync(
        RegistryContext db, IEnumerable<Guid> subjectIds, CancellationToken cancellationToken)
    {
        var ids = subjectIds.ToList();
        var pairs = await db.Records.Where(r => ids.Contains(r.SubjectId))
            .Select(r => new { r.SubjectId, r.Register }).Distinct().ToListAsync(cancellationToken);
        return pairs.GroupBy(p => p.SubjectId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Register).Order(StringComparer.Ordinal)]);
    }

    /// <summary>The first unique identifier (email, hetu, customerNumber) that already names another subject.</summary>
    public static async Task<(string Field, Guid SubjectId)?> FindConflictAsync(
        RegistryContext db, ValidSubjectIdentifiers identifiers, CancellationToken cancellationToken)
    {
        var email = identifiers.Email?.Value;
        var hetu = identifiers.Hetu?.Value;
        var customerNumber = identifiers.CustomerNumber?.Value;
        var existing = await db.Subjects.AsNoTracking()
            .Where(s => (email != null && s.Email == email) || (hetu != null && s.Hetu == hetu) || (customerNumber != null && s.CustomerNumber == customerNumber))
            .Select(s => new { s.Id, s.Email, s.Hetu, s.CustomerNumber })
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is null)
        {
            return null;
        }

        var field = email is not null && existing.Email == email ? "email"
            : hetu is not null && existing.Hetu == hetu ? "hetu"
            : "customerNumber";
        return (field, existing.Id);
    }

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
