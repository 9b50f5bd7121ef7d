using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;

namespace Procexon.ServiceDefaults.Tests;

[Trait("Category", "Unit")]
public sealed class HtmlSecurityHeadersTests
{
    [Fact]
    public void A_page_without_inline_blocks_gets_the_base_policy_alone()
    {
        Assert.Equal("default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'", HtmlSecurityHeaders.PolicyFor(null));
        Assert.Equal(HtmlSecurityHeaders.BasePolicy, HtmlSecurityHeaders.PolicyFor("<!doctype html><p>Hei</p>"));
    }

    [Fact]
    public void A_pages_inline_script_and_style_are_allowed_by_hash_and_nothing_else_inline_is()
    {
        const string Page = "<html><head><style>p{color:red}</style></head><body><script>\r\nalert(1);\r\n</script></body></html>";

        var policy = HtmlSecurityHeaders.PolicyFor(Page);

        // The script's hash is of the text as a browser parses it: CRLF becomes LF.
        Assert.Equal(
            $"default-src 'self'; script-src 'self' 'sha256-{Sha256("\nalert(1);\n")}'; style-src 'self' 'sha256-{Sha256("p{color:red}")}'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            policy);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    private static string Sha256(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
