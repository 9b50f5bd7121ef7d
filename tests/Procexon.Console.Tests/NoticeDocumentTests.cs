using Procexon.Console.Apis;

namespace Procexon.Console.Tests;

[Trait("Category", "Unit")]
public sealed class NoticeDocumentTests
{
    [Fact]
    public void The_notice_s_headings_paragraphs_and_lists_are_read_as_text_and_nothing_else()
    {
        const string html = """
            <!DOCTYPE html>
            <html lang="fi">
            <head><meta charset="utf-8" /><title>Seloste</title><style>body{}</style></head>
            <body>
            <main>
            <h1>Procexon Oy:n tietosuojaseloste</h1>
            <p>Johdanto &amp; &lt;b&gt;ei lihavointia&lt;/b&gt;</p>
            <section id="section-1">
            <h2>1. Rekisterinpitäjä</h2>
            <h3>Asiakasrekisteri</h3>
            <ul>
            <li>Nimi</li>
            <li>Sähköposti</li>
            </ul>
            </section>
            </main>
            </body>
            </html>
            """;

        var notice = NoticeDocument.Parse(html);

        Assert.Equal("fi", notice.Language);
        Assert.Equal(["h1", "p", "h2", "h3", "ul"], notice.Blocks.Select(b => b.Kind));
        Assert.Equal("Johdanto & <b>ei lihavointia</b>", notice.Blocks[1].Text);
        Assert.Equal(["Nimi", "Sähköposti"], notice.Blocks[4].Items);
    }

    [Fact]
    public void Something_other_than_a_notice_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => NoticeDocument.Parse("{\"title\":\"not html\"}"));
        Assert.Throws<FormatException>(() => NoticeDocument.Parse("<html><body><p>no main</p></body></html>"));
    }
}
