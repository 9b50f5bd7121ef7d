using System.Text;

namespace Procexon.Registry.Notice;

/// <summary>
/// The notice as one self-contained HTML5 document: <c>lang</c> set, UTF-8, inline style, no scripts or external assets.
/// Every text is escaped; the markup is also well-formed XML, so it can be checked by an XML parser.
/// </summary>
public static class HtmlNoticeRenderer
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;line-height:1.5;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}" +
        "h1{font-size:1.75rem}h2{font-size:1.3rem;margin-top:2rem}h3{font-size:1.05rem}.dated{color:#555}";

    public static string Render(PrivacyNotice notice)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n")
            .Append($"<html lang=\"{Escape(notice.Language)}\">\n")
            .Append("<head>\n")
            .Append("<meta charset=\"utf-8\" />\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
            .Append($"<title>{Escape(notice.Title)}</title>\n")
            .Append($"<style>{Style}</style>\n")
            .Append("</head>\n")
            .Append("<body>\n")
            .Append("<main>\n")
            .Append($"<h1>{Escape(notice.Title)}</h1>\n");

        foreach (var paragraph in notice.Introduction)
        {
            html.Append($"<p>{Escape(paragraph)}</p>\n");
        }

        html.Append($"<p class=\"dated\">{Escape(notice.Dated)}</p>\n");
        foreach (var section in notice.Sections)
        {
            html.Append($"<section id=\"section-{section.Number}\">\n")
                .Append($"<h2>{section.Number}. {Escape(section.Heading)}</h2>\n");
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case NoticeSubheading subheading:
                        html.Append($"<h3>{Escape(subheading.Text)}</h3>\n");
                        break;
                    case NoticeParagraph paragraph:
                        html.Append($"<p>{Escape(paragraph.Text)}</p>\n");
                        break;
                    case NoticeBulletList list:
                        html.Append("<ul>\n");
                        foreach (var item in list.Items)
                        {
                            html.Append($"<li>{Escape(item)}</li>\n");
                        }

                        html.Append("</ul>\n");
                        break;
                    default:
                        throw new NotSupportedException($"No HTML for {block.GetType().Name}.");
                }
            }

            html.Append("</section>\n");
        }

        return html.Append("</main>\n</body>\n</html>\n").ToString();
    }

    /// <summary>Text for an element or a quoted attribute value.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => escaped.Append("&amp;"),
                '<' => escaped.Append("&lt;"),
                '>' => escaped.Append("&gt;"),
                '"' => escaped.Append("&quot;"),
                '\'' => escaped.Append("&#39;"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }
}
