using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Localization;

namespace Procexon.Identity.Apis;

/// <summary>
/// The login pages' HTML: one layout (language, title, heading, a language switch), forms with their antiforgery token.
/// Every text comes from <see cref="Texts"/>; every value is encoded here.
/// </summary>
public static class Page
{
    // Finnish letters stay letters; markup characters are still encoded.
    private static readonly HtmlEncoder s_encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string? text) => s_encoder.Encode(text ?? "");

    public static ContentHttpResult Render(HttpContext context, IStringLocalizer<Texts> texts, string heading, string body, int statusCode = 200)
    {
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var here = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
        var html = $"""
            <!DOCTYPE html>
            <html lang="{Encode(language)}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(heading)} – {Encode(texts["AppTitle"])}</title>
            <link rel="stylesheet" href="{AccountPages.StylePath}">
            </head>
            <body>
            <header><p class="brand">{Encode(texts["AppTitle"])}</p>
            <nav aria-label="{Encode(texts["Language"])}"><ul>
            <li><a href="{LanguageLink("fi", here)}" lang="fi" hreflang="fi"{Current(language, "fi")}>{Encode(texts["LanguageFinnish"])}</a></li>
            <li><a href="{LanguageLink("en", here)}" lang="en" hreflang="en"{Current(language, "en")}>{Encode(texts["LanguageEnglish"])}</a></li>
            </ul></nav></header>
            <main>
            <h1>{Encode(heading)}</h1>
            {body}
            </main>
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    /// <summary>A message the user must not miss, announced by screen readers.</summary>
    public static string Alert(string? message) =>
        string.IsNullOrEmpty(message) ? "" : $"""<p class="alert" role="alert">{Encode(message)}</p>""";

    public static string Form(
        HttpContext context, IAntiforgery antiforgery, string action, IEnumerable<(string Name, string? Value)> hidden, string fields, string submit)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var inputs = new StringBuilder();
        inputs.Append(CultureInfo.InvariantCulture, $"""<input type="hidden" name="{Encode(tokens.FormFieldName)}" value="{Encode(tokens.RequestToken)}">""");
        foreach (var (name, value) in hidden)
        {
            inputs.Append(CultureInfo.InvariantCulture, $"""<input type="hidden" name="{Encode(name)}" value="{Encode(value)}">""");
        }

        return $"""
            <form method="post" action="{Encode(action)}">
            {inputs}
            {fields}
            <button type="submit">{Encode(submit)}</button>
            </form>
            """;
    }

    public static string Field(string name, string label, string type, string autocomplete, string? extra = null) => $"""
        <p><label for="{name}">{Encode(label)}</label>
        <input id="{name}" name="{name}" type="{type}" autocomplete="{autocomplete}" required{extra}></p>
        """;

    private static string LanguageLink(string culture, string returnUrl) =>
        Encode($"{AccountPages.LanguagePath}?culture={culture}&returnUrl={Uri.EscapeDataString(returnUrl)}");

    private static string Current(string language, string culture) => language == culture ? " aria-current=\"true\"" : "";
}
