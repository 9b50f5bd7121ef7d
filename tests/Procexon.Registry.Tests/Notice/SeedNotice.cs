using System.Text.RegularExpressions;
using Procexon.Testing;

namespace Procexon.Registry.Tests.Notice;

/// <summary>One numbered section of the seed notice: its heading, its text (heading included) and its bullet items.</summary>
internal sealed record SeedSection(int Number, string Heading, string Text, IReadOnlyList<string> Bullets);

/// <summary>
/// The source document, <c>../shared/seed/tietosuojaseloste.txt</c> beside the repository, cut into its ten sections.
/// Its texts are normalised (lower case, one space, plain dashes and quotes) and its typos corrected, because the
/// generated notice fixes them; the generated text is only normalised.
/// </summary>
internal static partial class SeedNotice
{
    /// <summary>The seed's misspellings and what the notice writes instead.</summary>
    private static readonly (string Typo, string Fixed)[] s_typos =
    [
        ("kerrotaanm", "kerrotaan"),
        ("kerrotan", "kerrotaan"),
        ("manittujen", "mainittujen"),
        ("procexonoy:llä", "procexon oy:llä"),
        ("kerätätään", "kerätään"),
        ("säilytysjat", "säilytysajat"),
        ("ennaltamääräämättömiin", "ennalta määräämättömiin"),
        ("mikäi ", "mikäli "),
        ("asiakassiotumusten", "asiakassitoumusten"),
        ("muillekolmansille", "muille kolmansille"),
        ("edellytäämissä", "edellyttämissä"),
        ("näidentietojen", "näiden tietojen"),
        ("tällölin", "tällöin"),
        ("siirtäminwen", "siirtäminen"),
    ];

    public static string FilePath { get; } =
        Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "seed", "tietosuojaseloste.txt"));

    private static readonly Lazy<(string Introduction, IReadOnlyList<SeedSection> Sections)> s_parsed = new(Parse);

    /// <summary>The seed's text before section 1, normalised.</summary>
    public static string Introduction => Read().Introduction;

    public static IReadOnlyList<SeedSection> Sections => Read().Sections;

    public static SeedSection Section(int number) => Sections.Single(s => s.Number == number);

    /// <summary>Lower case, one space for any run of white space, plain dashes and quotes.</summary>
    public static string Normalise(string text)
    {
        var plain = text
            .Replace('\u00a0', ' ')
            .Replace('\u2013', '-').Replace('\u2014', '-').Replace('\u2010', '-')
            .Replace('\u201d', '"').Replace('\u201c', '"').Replace('\u201e', '"').Replace('\u2019', '\'')
            .ToLowerInvariant();
        return Whitespace().Replace(plain, " ").Trim();
    }

    /// <summary>Seed text normalised, with its typos corrected.</summary>
    private static string Corrected(string text)
    {
        var corrected = Normalise(text);
        foreach (var (typo, fix) in s_typos)
        {
            corrected = corrected.Replace(typo, fix, StringComparison.Ordinal);
        }

        return corrected;
    }

    private static (string Introduction, IReadOnlyList<SeedSection> Sections) Read()
    {
        if (!File.Exists(FilePath))
        {
            Assert.Fail($"The seed notice is not at {FilePath}: the generated notice cannot be compared with it.");
        }

        return s_parsed.Value;
    }

    private static (string, IReadOnlyList<SeedSection>) Parse()
    {
        var lines = File.ReadAllLines(FilePath);
        var introduction = new List<string>();
        var sections = new List<(int Number, string Heading, List<string> Lines)>();
        foreach (var line in lines)
        {
            if (line.Trim() == "Share This")
            {
                break; // the web page's chrome, not the notice
            }

            var heading = SectionHeading().Match(line);
            if (heading.Success && int.Parse(heading.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) == sections.Count + 1)
            {
                sections.Add((sections.Count + 1, heading.Groups[2].Value, [line]));
            }
            else if (sections.Count == 0)
            {
                introduction.Add(line);
            }
            else
            {
                sections[^1].Lines.Add(line);
            }
        }

        return (Corrected(string.Join('\n', introduction)), [.. sections.Select(s => new SeedSection(
            s.Number,
            Corrected(s.Heading),
            Corrected(string.Join('\n', s.Lines)),
            [.. s.Lines.Select(l => l.Trim()).Where(l => l.StartsWith('•')).Select(l => Corrected(l.TrimStart('•')))]))]);
    }

    [GeneratedRegex(@"^(\d{1,2})\.\s+(\S.*)$")]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
