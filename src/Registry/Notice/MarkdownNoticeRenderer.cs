using System.Text;
using System.Text.RegularExpressions;

namespace Procexon.Registry.Notice;

/// <summary>The notice as CommonMark. Catalogue text is escaped, so a name like <c>*Asiakkaat*</c> prints as written.</summary>
public static partial class MarkdownNoticeRenderer
{
    public static string Render(PrivacyNotice notice)
    {
        var markdown = new StringBuilder();
        Line(markdown, $"# {Escape(notice.Title)}");
        foreach (var paragraph in notice.Introduction)
        {
            Line(markdown, Escape(paragraph));
        }

        Line(markdown, $"*{Escape(notice.Dated)}*");
        foreach (var section in notice.Sections)
        {
            Line(markdown, $"## {section.Number}. {Escape(section.Heading)}");
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case NoticeSubheading subheading:
                        Line(markdown, $"### {Escape(subheading.Text)}");
                        break;
                    case NoticeParagraph paragraph:
                        Line(markdown, Escape(paragraph.Text));
                        break;
                    case NoticeBulletList list:
                        Line(markdown, string.Join('\n', list.Items.Select(item => $"- {Escape(item)}")));
                        break;
                    default:
                        throw new NotSupportedException($"No Markdown for {block.GetType().Name}.");
                }
            }
        }

        return markdown.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>One block and the blank line that ends it.</summary>
    private static void Line(StringBuilder markdown, string block) => markdown.Append(block).Append("\n\n");

    /// <summary>
    /// Plain text as literal Markdown: inline markup characters are backslash-escaped, line breaks fold into spaces,
    /// and a text that would start a heading, list, quote or thematic break does not.
    /// </summary>
    public static string Escape(string text)
    {
        var folded = LineBreaks().Replace(text, " ").Trim();
        var escaped = InlineMarkup().Replace(folded, @"\$0");
        return BlockStart().Replace(escaped, @"$1\$2");
    }

    [GeneratedRegex(@"\s*(\r\n|\r|\n)\s*")]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"[\\`*_\[\]<>&|~]")]
    private static partial Regex InlineMarkup();

    [GeneratedRegex(@"^(\d{1,9})?([.)#+=-])", RegexOptions.None)]
    private static partial Regex BlockStart();
}
