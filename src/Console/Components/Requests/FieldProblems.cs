using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Microsoft.FluentUI.AspNetCore.Components;
using Procexon.Console.Apis;
using Procexon.Console.Resources;

namespace Procexon.Console.Components.Requests;

/// <summary>
/// What a staff page shows for the API's problem: beside a Fluent input, the message for its field, in error state;
/// above the form, what names none of its fields. The APIs write English: in English their own words are shown (they
/// are the most specific), in Finnish the console's text for the field or the status, so nothing shows in English.
/// </summary>
public static partial class FieldProblems
{
    /// <summary>
    /// The message beside <paramref name="field"/>, or null when the problem names it not. <paramref name="textOf"/> is the
    /// field whose text to show when this page's field means what another name means elsewhere (retention's subject is an id).
    /// </summary>
    public static string? Message(IStringLocalizer<Texts> texts, ApiProblem? problem, string field, string? textOf = null) =>
        problem?.For(field) is { Count: > 0 } messages
            ? InEnglish ? string.Join(" ", messages) : FieldText(texts, textOf ?? field) ?? texts["ProblemField_Check"]
            : null;

    public static MessageState? State(ApiProblem? problem, string field) =>
        problem?.For(field) is { Count: > 0 } ? MessageState.Error : null;

    // One text for every row of a list: indices are dropped, corrections[3].value → Problem_corrections.value.
    public static string KeyOf(string field) => "Problem_" + Index().Replace(field, "");

    /// <summary>The messages for fields the page does not show, each once; in Finnish the field's text or, lacking one, the status's.</summary>
    public static IEnumerable<string> Others(IStringLocalizer<Texts> texts, ApiProblem problem, IReadOnlyCollection<string> fields)
    {
        var others = problem.Errors.Where(e => !fields.Contains(e.Key, StringComparer.Ordinal));
        return InEnglish
            ? others.SelectMany(e => e.Value)
            : others.Select(e => FieldText(texts, e.Key) ?? StatusText(texts, problem.Status)).Distinct(StringComparer.Ordinal);
    }

    /// <summary>
    /// A problem that names no field: the API's title and detail in English; in Finnish the console's text for the
    /// problem's type (<c>ProblemType_{name}</c>, why a request cannot be extended, say) or, lacking one, the status's.
    /// </summary>
    public static (string Title, string? Detail) Summary(IStringLocalizer<Texts> texts, ApiProblem problem) =>
        InEnglish
            ? (problem.Title ?? StatusText(texts, problem.Status), problem.Detail)
            : (TypeText(texts, problem.Type) ?? StatusText(texts, problem.Status), null);

    public static string StatusText(IStringLocalizer<Texts> texts, int status) => texts[status switch
    {
        400 or 422 => "ProblemStatus_Invalid",
        403 => "ProblemStatus_Forbidden",
        404 => "ProblemStatus_NotFound",
        409 => "ProblemStatus_Conflict",
        429 => "ProblemStatus_TooMany",
        _ => "ProblemStatus_Failed",
    }];

    // The console speaks Finnish and English; anything but English gets the console's own texts.
    private static bool InEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    private static string? TypeText(IStringLocalizer<Texts> texts, string? type) =>
        type is null ? null : TextIfAny(texts, "ProblemType_" + type);

    private static string? FieldText(IStringLocalizer<Texts> texts, string field) => TextIfAny(texts, KeyOf(field));

    private static string? TextIfAny(IStringLocalizer<Texts> texts, string key) =>
        texts[key] is { ResourceNotFound: false } text ? text.Value : null;

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Index();
}
