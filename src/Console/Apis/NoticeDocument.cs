using System.Xml;
using System.Xml.Linq;

namespace Procexon.Console.Apis;

/// <summary>
/// The generated privacy notice as the preview shows it: its headings, paragraphs and lists, read from the Registry's
/// HTML (well-formed XML by design) as text. The page renders them with its own markup, so nothing of the notice is
/// written into the page as HTML.
/// </summary>
public sealed record NoticeDocument(string Language, IReadOnlyList<NoticeBlock> Blocks)
{
    public static NoticeDocument Parse(string html)
    {
        // The doctype is HTML's, not XML's: the document proper starts at <html.
        var start = html.IndexOf("<html", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new FormatException("The notice is not an HTML document.");
        }

        XDocument document;
        try
        {
            document = XDocument.Parse(html[start..]);
        }
        catch (XmlException exception)
        {
            throw new FormatException("The notice's HTML is not well-formed.", exception);
        }

        var root = document.Root!;
        var main = root.Descendants("main").FirstOrDefault() ?? throw new FormatException("The notice has no <main>.");
        var blocks = new List<NoticeBlock>();
        Read(main, blocks);
        return new NoticeDocument((string?)root.Attribute("lang") ?? "", blocks);
    }

    private static void Read(XElement container, List<NoticeBlock> blocks)
    {
        foreach (var element in container.Elements())
        {
            switch (element.Name.LocalName)
            {
                case "section":
                    Read(element, blocks);
                    break;
                case "h1" or "h2" or "h3":
                    blocks.Add(new NoticeBlock(element.Name.LocalName, element.Value, []));
                    break;
                case "p":
                    blocks.Add(new NoticeBlock("p", element.Value, []));
                    break;
                case "ul":
                    blocks.Add(new NoticeBlock("ul", "", [.. element.Elements("li").Select(li => li.Value)]));
                    break;
                default:
                    // An element the preview does not know is shown as its text rather than lost.
                    blocks.Add(new NoticeBlock("p", element.Value, []));
                    break;
            }
        }
    }
}

/// <summary>One block of the notice: a heading (<c>h1</c>–<c>h3</c>), a paragraph (<c>p</c>) or a list (<c>ul</c>, its items).</summary>
public sealed record NoticeBlock(string Kind, string Text, IReadOnlyList<string> Items);
