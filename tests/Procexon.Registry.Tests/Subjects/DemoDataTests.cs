using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Contracts.Identifiers;
using Procexon.Registry.DemoData;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Subjects;

[Collection(RegistryCollection.Name)]
public sealed class DemoDataTests(RegistryFixture fixture)
{
    [Fact]
    public async Task Demo_load_fills_all_ten_registers_with_categories_from_the_catalogue_and_findable_subjects()
    {
        var before = await fixture.CountAsync(db => db.Subjects);
        DemoDataLoaded loaded;
        await using (var scope = fixture.Registry.Services.CreateAsyncScope())
        {
            loaded = await scope.ServiceProvider.GetRequiredService<DemoDataLoader>().LoadAsync(400, CancellationToken.None);
        }

        Assert.Equal(400, loaded.Subjects);
        Assert.Equal(before + 400, await fixture.CountAsync(db => db.Subjects));
        var (catalogue, held) = await fixture.InDatabaseAsync(async db => (
            (await db.Registers.AsNoTracking().ToListAsync()).ToDictionary(r => r.Slug, r => r.Description.DataCategories.Select(c => c.Code).ToHashSet()),
            await db.Records.Select(r => new { r.Register, r.Category }).Distinct().ToListAsync()));
        Assert.Equal(catalogue.Keys.Order(), held.Select(h => h.Register).Distinct().Order());
        Assert.All(held, h => Assert.Contains(h.Category, catalogue[h.Register]));

        // Every subject written by COPY is found through the same hashes the model writes, and its code decrypts.
        var sample = await fixture.InDatabaseAsync(db => db.Subjects.AsNoTracking().Where(s => s.Hetu != null || s.Email != null)
            .OrderByDescending(s => s.Id).Take(50).ToListAsync());
        foreach (var subject in sample)
        {
            var keys = subject.Hetu is not null ? new SubjectKeys(Hetu: subject.Hetu) : new SubjectKeys(Email: subject.Email);
            Assert.Equal([subject.Id], await RawSubjects.FindAsync(fixture, keys));
            Assert.True(subject.Hetu is null || Hetu.TryParse(subject.Hetu, out _, out _));
            Assert.StartsWith("+358", subject.Phone, StringComparison.Ordinal);
        }

        Assert.Contains(sample, s => s.Hetu is not null);
    }

    [Fact]
    public void Demo_records_plan_an_erasure_in_every_register_with_the_fields_the_policy_reads()
    {
        var generator = new DemoDataGenerator(7, new DateOnly(2026, 11, 25));
        var records = Enumerable.Range(0, 500).SelectMany(i => generator.Next(i).Records).ToList();

        var plans = records.GroupBy(r => r.Register).Select(g => ErasurePolicy.Plan(g.Key, [.. g.Select(ToRecord)])).ToList();

        Assert.Equal(10, plans.Count);
        Assert.Contains(plans, p => p.Outcome == ErasureOutcomes.RetainedUnderLaw);
        Assert.Contains(plans.SelectMany(p => p.Decisions), d => d.RetentionRule == "employment-certificate");
        Assert.Contains(plans.SelectMany(p => p.Decisions), d => d.RetentionRule == "aml-customer-due-diligence");
    }

    [Fact]
    public void Demo_identity_codes_are_valid_and_never_repeat()
    {
        var codes = Enumerable.Range(0, 200_000).Select(i => DemoDataGenerator.HetuFor(i)).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes.Take(5_000), code => Assert.True(Hetu.TryParse(code, out _, out var error), error));
        Assert.Contains(codes, c => c[6] == 'Y' || c[6] == 'B');
    }

    private static RegisterRecord ToRecord(DemoRecord r) => new()
    {
        Id = r.Id,
        SubjectId = r.SubjectId,
        Register = r.Register,
        Category = r.Category,
        Fields = r.Fields,
        RecordedOn = r.RecordedOn,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
