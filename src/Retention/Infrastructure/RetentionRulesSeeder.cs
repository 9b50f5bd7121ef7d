using Procexon.Messaging;
using Procexon.Messaging.Database;

namespace Procexon.Retention.Infrastructure;

/// <summary>
/// Loads the retention rules of the privacy notice and the laws it cites (embedded <c>retention-rules.json</c>). Only
/// missing ids are added: rules already there are left as they are, so edits made after the first start survive.
/// </summary>
public sealed class RetentionRulesSeeder : IDatabaseSeeder<RetentionContext>
{
    private const string Resource = "retention-rules.json";

    public async Task SeedAsync(RetentionContext db, CancellationToken cancellationToken)
    {
        await SeedFile.AddMissingAsync(await ReadSeedAsync(cancellationToken), db.RetentionRules.Select(r => r.Id), seed => seed.Id,
            (seed, position) => db.RetentionRules.Add(seed.ToRule(position)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static async Task<IReadOnlyList<RetentionRuleSeed>> ReadSeedAsync(CancellationToken cancellationToken)
    {
        var rules = await SeedFile.ReadAsync<RetentionRuleSeed>(typeof(RetentionRulesSeeder).Assembly, Resource, cancellationToken);
        SeedFile.RequireKnown(Resource, "legal bases", rules, r => [(r.Id, r.LegalBasis)], LegalBases.IsKnown);
        return rules;
    }
}

/// <summary>One rule as the seed file spells it.</summary>
internal sealed record RetentionRuleSeed(
    string Id,
    string Register,
    string LegalBasis,
    LocalizedText? Statute,
    string? Period,
    string StartsAt,
    string OnExpiry,
    LocalizedText Description)
{
    public RetentionRule ToRule(int position) => new()
    {
        Id = Id,
        Register = Register,
        LegalBasis = LegalBasis,
        StatuteFi = Statute?.Fi,
        StatuteEn = Statute?.En,
        Period = Period,
        StartsAt = StartsAt,
        OnExpiry = OnExpiry,
        DescriptionFi = Description.Fi,
        DescriptionEn = Description.En,
        Position = position,
    };
}
