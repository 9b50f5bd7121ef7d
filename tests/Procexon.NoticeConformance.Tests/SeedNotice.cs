using System.Text.RegularExpressions;
using Procexon.Registry.Tests.Notice;
namespace Procexon.NoticeConformance.Tests;

/// <summary>One numbered section of the seed notice: its heading, its text (heading included) and its bullet items.</summary>
internal sealed record SeedSection(int Number, string Heading, string Text, IReadOnlyList<string> Bullets);

/// <summary>
/// The controller's published notice (plain text, its numbered sections as on the web page), whose path
/// <c>scripts/check-notice.sh PATH</c> passes in <c>PROCEXON_NOTICE</c>, cut into its ten sections.
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

    public const string PathVariable = "PROCEXON_NOTICE";

    public static string? FilePath { get; } =
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    private static readonly Lazy<(string Introduction, IReadOnlyList<SeedSection> Sections)> s_parsed = new(Parse);

    /// <summary>The seed's text before section 1, normalised.</summary>
    public static string Introduction => Read().Introduction;

    public static IReadOnlyList<SeedSection> Sections => Read().Sections;

    public static SeedSection Section(int number) => Sections.Single(s => s.Number == number);

    public static string Normalise(string text) => NoticeText.Normalise(text);

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
        if (FilePath is null)
        {
            Assert.Fail($"No notice to compare with: run bash scripts/check-notice.sh PATH (it sets {PathVariable}).");
        }

        if (!File.Exists(FilePath))
        {
            Assert.Fail($"The notice is not at {FilePath}: the generated notice cannot be compared with it.");
        }

        return s_parsed.Value;
    }

    private static (string, IReadOnlyList<SeedSection>) Parse()
    {
        var lines = File.ReadAllLines(FilePath!);
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
}
