using Procexon.Registry.Notice;

namespace Procexon.Registry.Tests.Notice;

[Trait("Category", "Unit")]
public sealed class NoticeContentTests
{
    [Fact]
    public void Notice_has_wording_for_every_recipient_legal_basis_and_register_of_the_catalogue()
    {
        var content = NoticeContent.Embedded;
        var catalogue = SeedCatalogue.Registers();

        var recipients = catalogue.SelectMany(r => r.Description.Recipients).Distinct();
        Assert.All(recipients, slug => Assert.NotNull(content.Recipient(slug)));

        var bases = catalogue.SelectMany(r => r.Description.LegalBases.Concat(r.Description.Purposes.Select(p => p.LegalBasis))).Distinct();
        Assert.All(bases, code => Assert.NotNull(content.LegalBasis(code)));

        Assert.All(catalogue, register => Assert.True(content.DataSubjects.ContainsKey(register.Slug), register.Slug));
    }

    [Fact]
    public void Notice_content_has_ten_headings_both_languages_and_the_seeds_dates()
    {
        var content = NoticeContent.Embedded;

        Assert.Equal(NoticeContent.SectionCount, content.Headings.Count);
        Assert.All(content.Headings, h => Assert.False(string.IsNullOrWhiteSpace(h.Fi) || string.IsNullOrWhiteSpace(h.En)));
        Assert.Equal(new DateOnly(2018, 4, 17), content.Written);
        Assert.Equal(new DateOnly(2024, 1, 10), content.LastChanged);
    }

    [Fact]
    public void No_register_is_named_like_the_export_routes_beside_it()
    {
        // /api/registers/notice and /api/registers/record-of-processing would hide a register of that name.
        Assert.DoesNotContain(SeedCatalogue.Registers(), r => r.Slug is "notice" or "record-of-processing");
    }
}
