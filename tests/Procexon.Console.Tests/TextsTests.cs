using System.Text.RegularExpressions;
using System.Xml.Linq;
using Procexon.Testing;

namespace Procexon.Console.Tests;

/// <summary>
/// The console's words live in two resource files, English and Finnish: every key in both, none empty, and no page
/// writes a word of its own outside them.
/// </summary>
public sealed partial class TextsTests
{
    private static readonly string s_console = Path.Combine(RepositoryPaths.Root, "src", "Console");

    [Fact]
    public void Finnish_and_English_have_the_same_keys_and_every_value_is_filled()
    {
        var english = Texts("Texts.resx");
        var finnish = Texts("Texts.fi.resx");

        Assert.Equal(english.Keys.Order(), finnish.Keys.Order());
        Assert.All(english.Concat(finnish), text => Assert.False(string.IsNullOrWhiteSpace(text.Value), $"{text.Key} is empty"));
        // A word for every status, type, verification method, channel, corrected field, objection, record state and merged identifier the pages show, so none shows as the API spells it.
        foreach (var term in Apis.RequestTerms.All.Select(s => $"Status_{s}")
            .Concat(Apis.RequestTerms.Types.Select(t => $"Type_{t}"))
            .Concat(Apis.RequestTerms.StaffVerificationMethods.Select(m => $"Method_{m}"))
            .Concat(Apis.RequestTerms.Deadlines.Select(d => $"Deadline_{d}"))
            .Concat(Apis.RequestTerms.StaffChannels.Select(c => $"Channel_{c}"))
            .Concat(Apis.RequestTerms.CorrectionFields.Select(f => $"Field_{f}"))
            .Concat(Apis.RequestTerms.ObjectionGrounds.Select(g => $"Objection_{g}"))
            .Concat(Apis.SubjectTerms.RecordStates.Select(s => $"Subjects_State_{s}"))
            .Concat(Apis.SubjectTerms.TakenIdentifiers.Select(i => $"Subjects_Identifier_{Apis.SubjectTerms.KeyOf(i)}")))
        {
            Assert.True(english.ContainsKey(term), $"No text for {term}");
        }
    }

    [Fact]
    public void Every_key_a_page_asks_for_is_in_the_resources()
    {
        var keys = Texts("Texts.resx").Keys.ToHashSet(StringComparer.Ordinal);
        var asked = Directory.EnumerateFiles(Path.Combine(s_console, "Components"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => AskedKey().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Key: m.Groups[1].Value)))
            .ToList();

        Assert.NotEmpty(asked);
        Assert.All(asked, a => Assert.True(keys.Contains(a.Key), $"{a.File} asks for {a.Key}, which no resource file has"));
    }

    [Fact]
    public void Every_field_a_page_shows_a_problem_beside_has_a_problem_text_in_both_languages()
    {
        var english = Texts("Texts.resx");
        var finnish = Texts("Texts.fi.resx");
        var pages = Directory.EnumerateFiles(Path.Combine(s_console, "Components"), "*.razor", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetFileName(file), File.ReadAllText, StringComparer.Ordinal);
        var editor = pages["RegisterEditor.razor"];
        var fields = pages
            .SelectMany(page => BoundField().Matches(page.Value)
                .Select(m => (File: page.Key, Field: m.Groups["text"].Success ? m.Groups["text"].Value : m.Groups["field"].Value)))
            // The register editor's parts take their path from the editor: theirs are read where the editor uses them.
            .Where(f => !f.Field.Contains("{Path}", StringComparison.Ordinal))
            // A text in both languages: <BilingualText Path="name" …/>, <BilingualText Path="@($"purposes[{index}].text")" …/>.
            .Concat(EditorPart("BilingualText").Matches(editor)
                .SelectMany(m => new[] { "fi", "en" }.Select(language => (File: "RegisterEditor.razor", Field: $"{m.Groups["path"].Value}.{language}"))))
            // Rows of a code and its name (data categories, sources), and rows of slugs (retention rules, recipients).
            .Concat(EditorPart("CodedRows").Matches(editor)
                .SelectMany(m => new[] { "", "[{index}].code", "[{index}].name.fi", "[{index}].name.en" }
                    .Select(tail => (File: "CodedRows.razor", Field: m.Groups["path"].Value + tail))))
            .Concat(EditorPart("SlugRows").Matches(editor)
                .SelectMany(m => new[] { "", "[{index}]" }.Select(tail => (File: "SlugRows.razor", Field: m.Groups["path"].Value + tail))))
            .ToList();

        Assert.Contains(fields, f => f.Field == "corrections[{index}].value");
        Assert.Contains(fields, f => f.Field == "purposes[{index}].text.en");
        Assert.Contains(fields, f => f.Field == "sources[{index}].name.fi");
        Assert.Contains(fields, f => f.Field == "recipients[{index}]");
        Assert.Contains(fields, f => f.Field == "transfersOutsideEuEea.safeguard.en");
        Assert.All(fields, f =>
        {
            var key = Components.Requests.FieldProblems.KeyOf(RowIndex().Replace(f.Field, "[0]"));
            Assert.True(english.ContainsKey(key) && finnish.ContainsKey(key), $"{f.File} shows a problem beside {f.Field}, which has no {key} text");
        });
    }

    [Fact]
    public void Every_problem_type_a_service_answers_with_has_a_text_in_both_languages()
    {
        var english = Texts("Texts.resx");
        var finnish = Texts("Texts.fi.resx");
        var types = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => ProblemType().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Type: m.Groups[1].Value)))
            .ToList();

        Assert.Contains(types, t => t.Type == "already-extended");
        Assert.Contains(types, t => t.Type == "notice-already-confirmed");
        Assert.All(types, t => Assert.True(english.ContainsKey($"ProblemType_{t.Type}") && finnish.ContainsKey($"ProblemType_{t.Type}"),
            $"{t.File} answers with the problem type {t.Type}, which has no ProblemType_{t.Type} text"));
    }

    [Fact]
    public void No_page_writes_words_of_its_own_between_tags()
    {
        // Text between a tag's end and the next tag that is neither Razor (@…) nor punctuation is a word in the markup.
        var words = Directory.EnumerateFiles(Path.Combine(s_console, "Components"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => MarkupText().Matches(StripCode(File.ReadAllText(file)))
                .Select(m => m.Groups[1].Value.Trim())
                // Razor's own lines between tags (@if … { … } else) are code, not words.
                .Where(text => text.Length > 0 && !text.StartsWith('@') && !text.Contains('{', StringComparison.Ordinal)
                    && !text.Contains('}', StringComparison.Ordinal) && text.Any(char.IsLetter))
                .Select(text => $"{Path.GetFileName(file)}: {text}"))
            .ToList();

        Assert.True(words.Count == 0, string.Join('\n', words));
    }

    [Fact]
    public void The_public_form_has_a_text_for_every_type_and_its_script_writes_no_words_of_its_own()
    {
        var english = Texts("Texts.resx");
        Assert.All(Apis.RequestTerms.Types, type => Assert.True(english.ContainsKey($"PublicForm_Type_{type}"), $"No text for {type}"));

        // The script shows only what the page hands it from the resource files: a string of words in its code is a text
        // that escaped translation.
        var script = LineComment().Replace(File.ReadAllText(Path.Combine(s_console, "wwwroot", "js", "request-form.js")), "");
        var words = ScriptLiteral().Matches(script).Select(m => m.Value).Where(literal => Words().IsMatch(literal)).ToList();

        Assert.True(words.Count == 0, string.Join('\n', words));
    }

    private static Dictionary<string, string> Texts(string file) =>
        XDocument.Load(Path.Combine(s_console, "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")?.Value ?? "", StringComparer.Ordinal);

    // Comments, directives (@inject IStringLocalizer<Texts> T) and @code blocks are not markup.
    private static string StripCode(string razor)
    {
        var withoutComments = Directive().Replace(RazorComment().Replace(razor, ""), "");
        var code = withoutComments.IndexOf("@code", StringComparison.Ordinal);
        return code < 0 ? withoutComments : withoutComments[..code];
    }

    [GeneratedRegex("""T\["([A-Za-z_\-]+)"\]""")]
    private static partial Regex AskedKey();

    // FieldProblems.Message(T, problem, "field"[, textOf: "other"]) and the pages' Message("field") / FieldMessage(problem, "field") around it.
    [GeneratedRegex("""(?:FieldProblems\.Message\(T, [\w.]+, |FieldMessage\([\w.]+, |\bMessage\()\$?"(?<field>[^"]+)"(?:, textOf: "(?<text>[^"]+)")?""")]
    private static partial Regex BoundField();

    // <Part Path="name" or <Part Path="@($"purposes[{index}].text")".
    private static Regex EditorPart(string part) => new($"""<{part} Path="(?:@\(\$")?(?<path>[^"]+)"?""");

    [GeneratedRegex("""\[\{\w+\}\]""")]
    private static partial Regex RowIndex();

    [GeneratedRegex(""">([^<>]+)<""")]
    private static partial Regex MarkupText();

    [GeneratedRegex("""^\s*@(inject|using|page|attribute|rendermode|implements|inherits)\b.*$""", RegexOptions.Multiline)]
    private static partial Regex Directive();

    [GeneratedRegex("""^\s*//.*$""", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex("""'[^'\n]*'|"[^"\n]*"|`[^`\n]*`""")]
    private static partial Regex ScriptLiteral();

    [GeneratedRegex("""\p{L}{2,}\s+\p{L}{2,}""")]
    private static partial Regex Words();

    [GeneratedRegex("""ProblemTypes\.Uri\("([a-z-]+)"\)""")]
    private static partial Regex ProblemType();

    [GeneratedRegex("""@\*.*?\*@""", RegexOptions.Singleline)]
    private static partial Regex RazorComment();
}
