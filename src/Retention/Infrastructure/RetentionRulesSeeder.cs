using System.Text.Json;
using Procexon.Messaging;

namespace Procexon.Retention.Infrastructure;

/// <summary>
/// Loads the retention rules of the privacy notice and the laws it cites (embedded <c>retention-rules.json</c>). Only
/// missing ids are added: rules already there are left as they are, so edits made after the first start survive.
/// </summary>
public sealed class RetentionRulesSeeder : IDatabaseSeeder<RetentionContext>
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task SeedAsync(RetentionContext db, CancellationToken cancellationToken)
    {
        var existing = await db.RetentionRules.Select(r => r.Id).ToListAsync(cancellationToken);
        var position = 0;
        foreach (var seed in await ReadSeedAsync(cancellationToken))
        {
            position++;
            if (!existing.Contains(seed.Id))
            {
                db.RetentionRules.Add(seed.ToRule(position));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    internal static async Task<IReadOnlyList<RetentionRuleSeed>> ReadSeedAsync(CancellationToken cancellationToken)
    {
        await using var stream = typeof(RetentionRulesSeeder).Assembly.GetManifestResourceStream("retention-rules.json")
            ?? throw new InvalidOperationException("The embedded rules retention-rules.json are missing.");
        var rules = await JsonSerializer.DeserializeAsync<List<RetentionRuleSeed>>(stream, s_json, cancellationToken)
            ?? throw new InvalidOperationException("retention-rules.json is empty.");

        // The API filters on the legal basis, so a misspelt one in the seed would hide a rule: refuse to start instead.
        var misspelt = rules.Where(r => !LegalBases.IsKnown(r.LegalBasis)).Select(r => $"{r.Id}: {r.LegalBasis}").ToList();
        return misspelt.Count == 0
            ? rules
            : throw new InvalidOperationException($"retention-rules.json has unknown legal bases ({string.Join("; ", misspelt)}).");
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
