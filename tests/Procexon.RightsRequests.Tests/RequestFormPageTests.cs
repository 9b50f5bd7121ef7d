using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Procexon.RightsRequests.Tests;

[Collection(LifecycleCollection.Name)]
public sealed class RequestFormPageTests(LifecycleFixture fixture)
{
    [Fact]
    public async Task The_request_form_is_served_with_security_headers_that_allow_its_own_script_and_style_only()
    {
        using var response = await fixture.Http.GetAsync(new Uri("/requests/new", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(
            $"default-src 'self'; script-src 'self' 'sha256-{Sha256(Inline(html, "script"))}'; style-src 'self' 'sha256-{Sha256(Inline(html, "style"))}'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            policy);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        // The script posts to this origin only, which default-src 'self' allows (connect-src).
        Assert.Contains("fetch('/api/requests'", html, StringComparison.Ordinal);
        // An inline handler (onclick=...) or style attribute would be blocked: the page has none.
        Assert.DoesNotMatch(@"<[^>]*\s(on[a-z]+|style)=", html);
    }

    /// <summary>The one inline block of the element, as a browser parses it (LF line ends).</summary>
    private static string Inline(string html, string element)
    {
        var start = html.IndexOf($"<{element}>", StringComparison.Ordinal) + element.Length + 2;
        Assert.Equal(-1, html.IndexOf($"<{element}>", start, StringComparison.Ordinal));
        return html[start..html.IndexOf($"</{element}>", start, StringComparison.Ordinal)].Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string Sha256(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
