using System.Text.Json;
using Procexon.Messaging;

namespace Procexon.DisclosureLog.Infrastructure;

/// <summary>
/// Loads the recipients the privacy notice names (embedded <c>recipients.json</c>). Only missing slugs are added:
/// recipients already there are left as they are, so edits made after the first start survive.
/// </summary>
public sealed class RecipientsSeeder : IDatabaseSeeder<DisclosureLogContext>
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task SeedAsync(DisclosureLogContext db, CancellationToken cancellationToken)
    {
        var existing = await db.Recipients.Select(r => r.Slug).ToListAsync(cancellationToken);
        var position = 0;
        foreach (var seed in await ReadSeedAsync(cancellationToken))
        {
            position++;
            if (!existing.Contains(seed.Slug))
            {
                db.Recipients.Add(seed.ToRecipient(position));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    internal static async Task<IReadOnlyList<RecipientSeed>> ReadSeedAsync(CancellationToken cancellationToken)
    {
        await using var stream = typeof(RecipientsSeeder).Assembly.GetManifestResourceStream("recipients.json")
            ?? throw new InvalidOperationException("The embedded recipients.json is missing.");
        var recipients = await JsonSerializer.DeserializeAsync<List<RecipientSeed>>(stream, s_json, cancellationToken)
            ?? throw new InvalidOperationException("recipients.json is empty.");

        // The API filters on the role, so a misspelt one in the seed would hide a recipient: refuse to start instead.
        var misspelt = recipients.Where(r => !RecipientRoles.IsKnown(r.Role)).Select(r => $"{r.Slug}: {r.Role}").ToList();
        if (misspelt.Count > 0)
        {
            throw new InvalidOperationException($"recipients.json has unknown roles ({string.Join("; ", misspelt)}).");
        }

        // A misspelt channel would silently send a processor nothing: refuse to start instead.
        var unknownChannels = recipients.Where(r => !RecipientChannels.IsKnown(r.Channel)).Select(r => $"{r.Slug}: {r.Channel}").ToList();
        if (unknownChannels.Count > 0)
        {
            throw new InvalidOperationException($"recipients.json has unknown channels ({string.Join("; ", unknownChannels)}).");
        }

        // Disclosures are checked against the same category codes, so the seed must use them too.
        var unknownCategories = recipients
            .SelectMany(r => r.Categories.Where(c => !DataCategories.IsKnown(c)).Select(c => $"{r.Slug}: {c}"))
            .ToList();
        return unknownCategories.Count == 0
            ? recipients
            : throw new InvalidOperationException($"recipients.json has unknown data categories ({string.Join("; ", unknownCategories)}).");
    }
}

/// <summary>One recipient as the seed file spells it.</summary>
internal sealed record RecipientSeed(
    string Slug,
    LocalizedText Name,
    string Role,
    string Channel,
    LocalizedText Description,
    string Country,
    bool OutsideEuEea,
    LocalizedText? Safeguard,
    bool ReceivesErasureNotices,
    List<string> Categories)
{
    public Recipient ToRecipient(int position) => new()
    {
        Slug = Slug,
        NameFi = Name.Fi,
        NameEn = Name.En,
        Role = Role,
        Channel = Channel,
        DescriptionFi = Description.Fi,
        DescriptionEn = Description.En,
        Country = Country,
        OutsideEuEea = OutsideEuEea,
        SafeguardFi = Safeguard?.Fi,
        SafeguardEn = Safeguard?.En,
        ReceivesErasureNotices = ReceivesErasureNotices,
        Categories = Categories,
        Position = position,
    };
}
