using Microsoft.EntityFrameworkCore;
using Procexon.Messaging.Database;

namespace Procexon.Messaging.Tests;

/// <summary>
/// The reference data each service seeds from its embedded file at every start (the notice's registers, recipients,
/// retention rules): what staff changed after the first start stays, and a file with a misspelt value does not start.
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class SeedFileTests(MessagingFixture fixture)
{
    [Fact]
    public async Task A_start_adds_only_what_the_database_lacks_so_what_staff_edited_after_the_first_start_stays()
    {
        var first = Guid.NewGuid();
        var later = Guid.NewGuid();
        Assert.Equal([(first, 1)], await SeedAsync([(first, "as the file says")]));
        await fixture.InScopeAsync((db, _) => db.Notes.Where(n => n.Id == first).ExecuteUpdateAsync(set => set.SetProperty(n => n.Text, "edited by staff")));

        // The next start, with an entry added to the file: only that one is added, with its place in the file.
        Assert.Equal([(later, 2)], await SeedAsync([(first, "as the file says"), (later, "added to the file later")]));
        Assert.Empty(await SeedAsync([(first, "as the file says"), (later, "added to the file later")]));

        var texts = await fixture.InScopeAsync((db, _) => db.Notes.Where(n => n.Id == first || n.Id == later).ToDictionaryAsync(n => n.Id, n => n.Text));
        Assert.Equal("edited by staff", texts[first]);
        Assert.Equal("added to the file later", texts[later]);
    }

    private Task<List<(Guid Id, int Position)>> SeedAsync(IReadOnlyList<(Guid Id, string Text)> seeds) => fixture.InScopeAsync(async (db, _) =>
    {
        var ids = seeds.Select(s => s.Id).ToList();
        var added = new List<(Guid, int)>();
        await SeedFile.AddMissingAsync(seeds, db.Notes.Where(n => ids.Contains(n.Id)).Select(n => n.Id), seed => seed.Id, (seed, position) =>
        {
            db.Notes.Add(new Note { Id = seed.Id, Text = seed.Text });
            added.Add((seed.Id, position));
        }, CancellationToken.None);
        await db.SaveChangesAsync();
        return added;
    });
}

[Trait("Category", "Unit")]
public sealed class SeedFileCheckTests
{
    private sealed record Recipient(string Slug, string Role, List<string> Categories);

    [Fact]
    public void A_seed_with_values_the_code_does_not_know_names_every_one_of_them()
    {
        Recipient[] recipients =
        [
            new("firm", "processor", ["payroll", "payrol"]),
            new("bank", "controller", ["basic-data"]),
            new("agency", "procesor", ["basic-dat"]),
        ];
        var known = new HashSet<string>(["payroll", "basic-data"], StringComparer.Ordinal);

        var refused = Assert.Throws<InvalidOperationException>(() =>
            SeedFile.RequireKnown("recipients.json", "data categories", recipients, r => r.Categories.Select(c => (r.Slug, c)), known.Contains));
        Assert.Equal("recipients.json has unknown data categories (firm: payrol; agency: basic-dat).", refused.Message);

        // Known values pass.
        SeedFile.RequireKnown("recipients.json", "roles", recipients[..2], r => [(r.Slug, r.Role)], role => role is "processor" or "controller");
    }

    [Fact]
    public async Task A_service_built_without_its_seed_file_does_not_start()
    {
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SeedFile.ReadAsync<Recipient>(typeof(SeedFileCheckTests).Assembly, "recipients.json", CancellationToken.None));
        Assert.Equal("The embedded recipients.json is missing.", missing.Message);
    }
}
