namespace Procexon.Registry.Model;

/// <summary>
/// The registers as an answer names them: each one's slug and its name in both languages, which PostgreSQL reads out
/// of the description's jsonb. An erasure's or a right's transaction needs only these; reading the whole descriptions
/// (purposes, categories, sources, retention texts) was the erasure's most expensive statement and had the service
/// deserialise ten documents per transaction for their names (docs/performance.md, twenty-third round).
/// </summary>
public static class RegisterNames
{
    /// <summary>Every register, in the notice's order.</summary>
    public static async Task<List<RegisterName>> InNoticeOrderAsync(RegistryContext db, CancellationToken cancellationToken) =>
        [.. (await db.Database.SqlQuery<NameRow>($"""
            SELECT slug, description -> 'name' ->> 'fi' AS name_fi, description -> 'name' ->> 'en' AS name_en
            FROM registers ORDER BY position
            """).ToListAsync(cancellationToken)).Select(r => r.ToName())];

    /// <summary>The registers named by <paramref name="slugs"/>, by slug; one not in the catalogue is absent.</summary>
    public static async Task<Dictionary<string, RegisterName>> OfAsync(RegistryContext db, string[] slugs, CancellationToken cancellationToken) =>
        (await InNoticeOrderAsync(db, cancellationToken)).Where(n => slugs.Contains(n.Register, StringComparer.Ordinal))
            .ToDictionary(n => n.Register, StringComparer.Ordinal);

    private sealed record NameRow(string Slug, string NameFi, string NameEn)
    {
        public RegisterName ToName() => new(Slug, new LocalizedText(NameFi, NameEn));
    }
}
