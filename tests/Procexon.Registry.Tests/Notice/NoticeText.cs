using System.Text.RegularExpressions;

namespace Procexon.Registry.Tests.Notice;

/// <summary>A notice's text as the comparisons read it: lower case, one space for any run of white space, plain dashes and quotes.</summary>
internal static partial class NoticeText
{
    public static string Normalise(string text)
    {
        var plain = text
            .Replace('\u00a0', ' ')
            .Replace('\u2013', '-').Replace('\u2014', '-').Replace('\u2010', '-')
            .Replace('\u201d', '"').Replace('\u201c', '"').Replace('\u201e', '"').Replace('\u2019', '\'')
            .ToLowerInvariant();
        return Whitespace().Replace(plain, " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
