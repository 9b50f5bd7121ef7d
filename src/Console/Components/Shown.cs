using System.Globalization;
using Microsoft.Extensions.Localization;
using Procexon.Console.Resources;

namespace Procexon.Console.Components;

/// <summary>
/// How the console writes dates, times and the API's terms: Finnish dates (d.M.yyyy) and Helsinki time in both
/// languages, patterns and words from the resource files.
/// </summary>
public static class Shown
{
    /// <summary>The user's language as the API's bilingual texts are keyed: <c>fi</c> or <c>en</c>.</summary>
    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fi" ? "fi" : "en";

    public static string Date(this IStringLocalizer<Texts> texts, DateOnly day) =>
        day.ToString(texts["DateFormat"], CultureInfo.InvariantCulture);

    public static string Time(this IStringLocalizer<Texts> texts, DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, ConsoleCultures.Helsinki).ToString(texts["TimeFormat"], CultureInfo.InvariantCulture);

    /// <summary>
    /// The word for one of the API's values (<c>Status_in-progress</c>, <c>Outcome_erased</c>…); a value newer than the
    /// console is shown as the API spells it rather than hidden.
    /// </summary>
    public static string Term(this IStringLocalizer<Texts> texts, string kind, string value)
    {
        var text = texts[$"{kind}_{value}"];
        return text.ResourceNotFound ? value : text.Value;
    }
}
