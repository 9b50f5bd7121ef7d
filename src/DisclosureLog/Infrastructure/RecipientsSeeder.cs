using Procexon.Messaging;

namespace Procexon.DisclosureLog.Infrastructure;

/// <summary>
/// Loads the recipients the privacy notice names (embedded <c>recipients.json</c>). Only missing slugs are added:
/// recipients already there are left as they are, so edits made after the first start survive.
/// </summary>
public sealed class RecipientsSeeder : IDatabaseSeeder<DisclosureLogContext>
{
    private const string Resource = "recipients.json";

    public async Task SeedAsync(DisclosureLogContext db, CancellationToken cancellationToken)
    {
        await SeedFile.AddMissingAsync(await ReadSeedAsync(cancellationToken), db.Recipients.Select(r => r.Slug), seed => seed.Slug,
            (seed, position) => db.Recipients.Add(seed.ToRecipient(position)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static async Task<IReadOnlyList<RecipientSeed>> ReadSeedAsync(CancellationToken cancellationToken)
    {
        var recipients = await SeedFile.ReadAsync<RecipientSeed>(typeof(RecipientsSeeder).Assembly, Resource, cancellationToken);
        SeedFile.RequireKnown(Resource, "roles", recipients, r => [(r.Slug, r.Role)], RecipientRoles.IsKnown);
        // A misspelt channel would silently send a processor nothing.
        SeedFile.RequireKnown(Resource, "channels", recipients, r => [(r.Slug, r.Channel)], RecipientChannels.IsKnown);
        // Disclosures are checked against the same category codes, so the seed must use them too.
        SeedFile.RequireKnown(Resource, "data categories", recipients, r => r.Categories.Select(c => (r.Slug, c)), DataCategories.IsKnown);
        return recipients;
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
