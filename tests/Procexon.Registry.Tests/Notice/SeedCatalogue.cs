using System.Text.Json;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Notice;

/// <summary>The catalogue as the Registry seeds it: the ten registers of the embedded registers.json, in order.</summary>
internal static class SeedCatalogue
{
    /// <summary>The catalogue's registers are dated to the notice's last change, so the generated notice keeps the seed's dates.</summary>
    public static readonly DateTimeOffset Dated = new(2024, 1, 10, 12, 0, 0, TimeSpan.FromHours(2));

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>A fresh copy each time, so a test may edit it.</summary>
    public static List<Register> Registers()
    {
        using var stream = typeof(CatalogueSeeder).Assembly.GetManifestResourceStream("registers.json")
            ?? throw new InvalidOperationException("The embedded catalogue registers.json is missing.");
        using var document = JsonDocument.Parse(stream);
        return [.. document.RootElement.EnumerateArray().Select((element, i) => new Register
        {
            Slug = element.GetProperty("slug").GetString()!,
            Position = i + 1,
            Version = 1,
            Description = element.Deserialize<RegisterDescription>(s_json)!,
            UpdatedAt = Dated,
        })];
    }

    public static Register Find(this List<Register> registers, string slug) => registers.Single(r => r.Slug == slug);
}
