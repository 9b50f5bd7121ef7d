using Procexon.Registry.Notice;
using Procexon.Testing;

namespace Procexon.Registry.Tests.Notice;

/// <summary>
/// docs/notice/ holds the notice the product generates from the seed catalogue. The test fails when the committed
/// files differ from what the code generates now; <c>PROCEXON_WRITE_NOTICE=1</c> rewrites them instead.
/// </summary>
public sealed class NoticeDocumentsTests
{
    public static TheoryData<string, string, string> Documents => new()
    {
        { "tietosuojaseloste.fi.md", "fi", "md" },
        { "privacy-notice.en.md", "en", "md" },
        { "tietosuojaseloste.fi.html", "fi", "html" },
        { "privacy-notice.en.html", "en", "html" },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Committed_notice_is_the_products_own_output(string file, string language, string format)
    {
        var notice = GeneratedNotice.Compose(language);
        var generated = format == "html" ? HtmlNoticeRenderer.Render(notice) : MarkdownNoticeRenderer.Render(notice);
        var path = Path.Combine(RepositoryPaths.Root, "docs", "notice", file);

        if (Environment.GetEnvironmentVariable("PROCEXON_WRITE_NOTICE") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the notice tests once with PROCEXON_WRITE_NOTICE=1.");
        var committed = File.ReadAllText(path);
        Assert.True(committed == generated,
            $"docs/notice/{file} differs from the generated notice: rerun with PROCEXON_WRITE_NOTICE=1 and commit the result.");
    }
}
