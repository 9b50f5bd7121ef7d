using System.Xml.Linq;
using Procexon.Contracts;
using Procexon.Registry.Model;
using Procexon.Registry.Notice;

namespace Procexon.Registry.Tests.Notice;

[Trait("Category", "Unit")]
public sealed class NoticeRenderingTests
{
    [Fact]
    public void English_notice_has_the_same_section_structure_as_the_Finnish()
    {
        var fi = GeneratedNotice.Compose("fi");
        var en = GeneratedNotice.Compose("en");

        Assert.Equal(fi.Sections.Select(Shape), en.Sections.Select(Shape));
        Assert.All(fi.Sections.Zip(en.Sections), pair => Assert.NotEqual(pair.First.Heading, pair.Second.Heading));
        Assert.Equal(fi.Introduction.Count, en.Introduction.Count);

        // Number, then each block's kind and, for a list, its length.
        static string Shape(NoticeSection section) => $"{section.Number}: " + string.Join(" ", section.Blocks.Select(b => b switch
        {
            NoticeBulletList list => $"bullets({list.Items.Count})",
            _ => b.GetType().Name,
        }));
    }

    [Fact]
    public void English_notice_names_the_processors_the_transfer_safeguard_and_the_rights()
    {
        var en = GeneratedNotice.Compose("en");

        Assert.Equal("Written 17 April 2018. Last changed 10 January 2024.", en.Dated);
        Assert.Contains("Customer register", en.Section(3).Bullets());
        Assert.Contains("finago", en.Section(7).Text(), StringComparison.Ordinal);
        Assert.Contains("verkko24.fi", en.Section(7).Text(), StringComparison.Ordinal);
        Assert.Contains("standard contractual clauses", en.Section(7).Text(), StringComparison.Ordinal);
        var rights = en.Section(9).Text() + " " + en.Section(10).Text();
        Assert.All(
            ["right of access", "rectif", "right to be forgotten", "restriction of processing", "portability", "object", "within one month", "data protection ombudsman"],
            phrase => Assert.Contains(phrase, rights, StringComparison.Ordinal));
    }

    [Fact]
    public void An_edit_of_the_catalogue_shows_in_the_next_notice()
    {
        var catalogue = SeedCatalogue.Registers();
        var customers = catalogue.Find("customers");
        customers.Description = customers.Description with
        {
            Name = new LocalizedText("Asiakas- ja tilaajarekisteri", "Customer and subscriber register"),
            Purposes = [.. customers.Description.Purposes, new Purpose("contract", new LocalizedText("Tilausten toimittaminen", "Delivering orders"))],
        };
        foreach (var register in catalogue)
        {
            register.Description = register.Description with { Recipients = [.. register.Description.Recipients.Where(r => r != "finago")] };
        }

        var employees = catalogue.Find("employees");
        employees.Description = employees.Description with { TransfersOutsideEuEea = new TransferPolicy(false, null) };
        employees.UpdatedAt = new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero);

        var notice = GeneratedNotice.Compose("fi", catalogue);

        Assert.Equal("Asiakas- ja tilaajarekisteri", notice.Section(3).Bullets()[0]);
        Assert.Contains("Tilausten toimittaminen (asiakas- ja tilaajarekisteri)", notice.Section(4).Bullets());
        Assert.DoesNotContain("finago", notice.Section(7).Text(), StringComparison.Ordinal);
        Assert.Contains("verkko24.fi", notice.Section(7).Text(), StringComparison.Ordinal);
        var section7 = notice.Section(7).Text();
        Assert.DoesNotContain("tämä koskee kaikkia rekistereitä", section7, StringComparison.Ordinal);
        Assert.Contains("seuraavien rekistereiden tietoja ei siirretä eu:n tai eta:n ulkopuolelle: työntekijärekisteri.", section7, StringComparison.Ordinal);
        // 23:30 UTC on 1 March is already 2 March in Finland.
        Assert.Equal(new DateOnly(2026, 3, 2), notice.LastChanged);
        Assert.EndsWith("Viimeisin muutos 2.3.2026.", notice.Dated, StringComparison.Ordinal);
    }

    [Fact]
    public void A_register_the_notice_has_no_wording_for_is_still_listed()
    {
        var catalogue = SeedCatalogue.Registers();
        var contacts = catalogue.Find("contacts");
        contacts.Description = contacts.Description with { Recipients = [.. contacts.Description.Recipients, "new-crm-vendor"] };

        var notice = GeneratedNotice.Compose("fi", catalogue);

        Assert.Contains("new-crm-vendor", notice.Section(6).Bullets());
    }

    [Fact]
    public void Html_is_a_complete_well_formed_document_in_the_notices_language_without_external_assets()
    {
        foreach (var language in PrivacyNoticeComposer.Languages)
        {
            var html = HtmlNoticeRenderer.Render(GeneratedNotice.Compose(language));

            Assert.StartsWith("<!DOCTYPE html>\n", html, StringComparison.Ordinal);
            var document = ParseHtml(html);
            var root = document.Root!;
            Assert.Equal("html", root.Name.LocalName);
            Assert.Equal(language, (string?)root.Attribute("lang"));
            Assert.Equal("utf-8", (string?)root.Element("head")!.Element("meta")!.Attribute("charset"));
            Assert.False(string.IsNullOrWhiteSpace(root.Element("head")!.Element("title")!.Value));
            Assert.Equal(10, root.Descendants("section").Count());
            Assert.Equal(
                GeneratedNotice.Compose(language).Sections.Select(s => $"{s.Number}. {s.Heading}"),
                root.Descendants("h2").Select(h => h.Value));
            Assert.DoesNotContain(root.Descendants(), e => e.Name.LocalName is "script" or "link" or "img" or "iframe");
            Assert.Empty(root.Descendants().Attributes("src"));
        }
    }

    [Fact]
    public void Html_escapes_catalogue_text()
    {
        const string Hostile = "Asiakkaat <script>alert('x')</script> & \"muut\"";
        var catalogue = SeedCatalogue.Registers();
        var customers = catalogue.Find("customers");
        customers.Description = customers.Description with { Name = new LocalizedText(Hostile, Hostile) };

        var html = HtmlNoticeRenderer.Render(GeneratedNotice.Compose("fi", catalogue));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("Asiakkaat &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;muut&quot;", html, StringComparison.Ordinal);
        var section3 = ParseHtml(html).Descendants("section").Single(s => (string?)s.Attribute("id") == "section-3");
        Assert.Equal(Hostile, section3.Descendants("li").First().Value);
    }

    [Fact]
    public void Markdown_has_one_heading_per_section_and_escapes_catalogue_text()
    {
        var catalogue = SeedCatalogue.Registers();
        var customers = catalogue.Find("customers");
        customers.Description = customers.Description with
        {
            Name = new LocalizedText("*Asiakkaat* [linkki](http://example.com) <b>\n# ei otsikko", "Customers"),
        };

        var markdown = MarkdownNoticeRenderer.Render(GeneratedNotice.Compose("fi", catalogue));
        var lines = markdown.Split('\n');

        Assert.Equal(
            GeneratedNotice.Compose("fi").Sections.Select(s => $"## {s.Number}. {s.Heading}"),
            lines.Where(l => l.StartsWith("## ", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.StartsWith("# ", StringComparison.Ordinal));
        Assert.Contains(@"- \*Asiakkaat\* \[linkki\](http://example.com) \<b\> # ei otsikko", lines);
        Assert.EndsWith("\n", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*lista", @"\*lista")]
    [InlineData("- ei lista", @"\- ei lista")]
    [InlineData("1. ei numeroitu", @"1\. ei numeroitu")]
    [InlineData("# ei otsikko", @"\# ei otsikko")]
    [InlineData("AT&T | 2 > 1", @"AT\&T \| 2 \> 1")]
    [InlineData("rivi\r\nrivi", "rivi rivi")]
    [InlineData("Procexon Oy:n (GDPR) 46 artikla", "Procexon Oy:n (GDPR) 46 artikla")]
    public void Markdown_escape_keeps_text_literal(string text, string expected) =>
        Assert.Equal(expected, MarkdownNoticeRenderer.Escape(text));

    [Fact]
    public void A_language_other_than_Finnish_or_English_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GeneratedNotice.Compose("sv"));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecordOfProcessing.Compose(SeedCatalogue.Registers(), NoticeContent.Embedded, "FI"));
    }

    /// <summary>The HTML as XML: the doctype is the one thing in it that XML does not read.</summary>
    private static XDocument ParseHtml(string html) =>
        XDocument.Parse(html.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
}
