using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The headers every HTML page of the platform is served with: a Content-Security-Policy that allows nothing from other
/// origins, no framing, no base URL and forms only to this origin; <c>nosniff</c>; no referrer. A page's own inline
/// <c>&lt;script&gt;</c> and <c>&lt;style&gt;</c> blocks are allowed by their SHA-256 hashes and nothing else inline is.
/// </summary>
public static partial class HtmlSecurityHeaders
{
    public const string BasePolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Sets the headers on every response of the endpoint (or group), hashing the inline blocks of an HTML answer.</summary>
    public static TBuilder WithHtmlSecurityHeaders<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var headers = context.HttpContext.Response.Headers;
            headers.ContentSecurityPolicy = PolicyFor(Html(result));
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return result;
        });

    /// <summary>
    /// <see cref="BasePolicy"/> with <c>script-src</c> and <c>style-src</c> allowing exactly the inline blocks of
    /// <paramref name="html"/> (none without it).
    /// </summary>
    public static string PolicyFor(string? html)
    {
        if (html is null)
        {
            return BasePolicy;
        }

        var scripts = Hashes(InlineScripts().Matches(html));
        var styles = Hashes(InlineStyles().Matches(html));
        var policy = new StringBuilder("default-src 'self'");
        if (scripts.Count > 0)
        {
            policy.Append("; script-src 'self' ").AppendJoin(' ', scripts);
        }

        if (styles.Count > 0)
        {
            policy.Append("; style-src 'self' ").AppendJoin(' ', styles);
        }

        return policy.Append("; frame-ancestors 'none'; base-uri 'none'; form-action 'self'").ToString();
    }

    private static List<string> Hashes(MatchCollection blocks) =>
    [
        .. blocks
            // A browser hashes the block as parsed, and HTML parsing turns CRLF and CR into LF.
            .Select(block => block.Groups[1].Value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))
            .Select(text => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}'")
            .Distinct(StringComparer.Ordinal),
    ];

    private static string? Html(object? result) => result switch
    {
        INestedHttpResult nested => Html(nested.Result),
        ContentHttpResult { ContentType: { } type, ResponseContent: { } content }
            when type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) => content,
        _ => null,
    };

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex InlineScripts();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex InlineStyles();
}
