using System.Text.Json;
using Procexon.Messaging;

namespace Procexon.Registry.Infrastructure;

/// <summary>
/// Loads the ten registers of the privacy notice (embedded <c>registers.json</c>) into an empty catalogue, each with
/// its version 1. Registers already there are left as they are: after the first start the catalogue is edited through
/// the API (and versioned), not re-seeded.
/// </summary>
public sealed class CatalogueSeeder : IDatabaseSeeder<RegistryContext>
{
    /// <summary>The privacy notice was written on 17.4.2018 (midnight in Finnish summer time).</summary>
    public static readonly DateTimeOffset NoticeWritten = new(2018, 4, 17, 0, 0, 0, TimeSpan.FromHours(3));

    public const string SeededBy = "privacy notice 17.4.2018";

    // The 2018 text is not at hand: version 1 is the notice as last changed, dated from when the notice was written.
    public const string SeedNote = "Seeded from the privacy notice (last changed 10.1.2024)";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task SeedAsync(RegistryContext db, CancellationToken cancellationToken)
    {
        await SeedFile.AddMissingAsync(await ReadSeedAsync(cancellationToken), db.Registers.Select(r => r.Slug), seed => seed.Slug, (seed, position) =>
        {
            var register = new Register { Slug = seed.Slug, Position = position, Description = seed.Description, Version = 1, UpdatedAt = NoticeWritten.ToUniversalTime() };
            db.Registers.Add(register);
            db.RegisterVersions.Add(RegisterVersion.Of(register, SeededBy, SeedNote));
        }, cancellationToken);

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
        // Each entry is a register's description with its slug beside it: read as elements, then each described.
        var registers = await SeedFile.ReadAsync<JsonElement>(typeof(CatalogueSeeder).Assembly, "registers.json", cancellationToken);
        return registers.ConvertAll(element => (
            element.GetProperty("slug").GetString()!,
            element.Deserialize<RegisterDescription>(s_json)!));
    }
}
