using System.Text.Json;
using Procexon.Messaging;

namespace Procexon.Registry.Infrastructure;

/// <summary>
/// Loads the ten registers of the privacy notice (embedded <c>registers.json</c>) into an empty catalogue. Registers
/// already there are left as they are: after the first start the catalogue is edited, not re-seeded.
/// </summary>
public sealed class CatalogueSeeder(TimeProvider clock) : IDatabaseSeeder<RegistryContext>
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task SeedAsync(RegistryContext db, CancellationToken cancellationToken)
    {
        var existing = await db.Registers.Select(r => r.Slug).ToListAsync(cancellationToken);
        var position = 0;
        foreach (var (slug, description) in await ReadSeedAsync(cancellationToken))
        {
            position++;
            if (!existing.Contains(slug))
            {
                db.Registers.Add(new Register { Slug = slug, Position = position, Description = description, UpdatedAt = clock.GetUtcNow() });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The slugs of the notice's registers, read at start-up to declare one erasure queue per register.</summary>
    public static IReadOnlyList<string> RegisterSlugs()
    {
        using var stream = typeof(CatalogueSeeder).Assembly.GetManifestResourceStream("registers.json")
            ?? throw new InvalidOperationException("The embedded catalogue registers.json is missing.");
        using var document = JsonDocument.Parse(stream);
        return [.. document.RootElement.EnumerateArray().Select(e => e.GetProperty("slug").GetString()!)];
    }

    internal static async Task<IReadOnlyList<(string Slug, RegisterDescription Description)>> ReadSeedAsync(CancellationToken cancellationToken)
    {
        await using var stream = typeof(CatalogueSeeder).Assembly.GetManifestResourceStream("registers.json")
            ?? throw new InvalidOperationException("The embedded catalogue registers.json is missing.");
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        return [.. document.RootElement.EnumerateArray().Select(element => (
            element.GetProperty("slug").GetString()!,
            element.Deserialize<RegisterDescription>(s_json)!))];
    }
}
