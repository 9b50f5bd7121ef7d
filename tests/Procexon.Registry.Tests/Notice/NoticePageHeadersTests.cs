using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Registry.Apis;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.Notice;

namespace Procexon.Registry.Tests.Notice;

/// <summary>The notice endpoint as the service maps it, run against the fixture's catalogue.</summary>
[Collection(RegistryCollection.Name)]
public sealed class NoticePageHeadersTests(RegistryFixture fixture)
{
    [Fact]
    public async Task The_html_notice_is_served_with_security_headers_that_allow_its_own_style_only()
    {
        var (context, body) = await GetAsync("?lang=en&format=html");

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        var html = Encoding.UTF8.GetString(body);
        var start = html.IndexOf("<style>", StringComparison.Ordinal) + "<style>".Length;
        var style = html[start..html.IndexOf("</style>", start, StringComparison.Ordinal)];
        var headers = context.Response.Headers;
        Assert.Equal(
            $"default-src 'self'; style-src 'self' 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            headers.ContentSecurityPolicy.ToString());
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
        Assert.Equal("no-referrer", headers["Referrer-Policy"].ToString());
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_markdown_notice_gets_the_same_headers_without_any_inline_allowance()
    {
        var (context, _) = await GetAsync("?lang=fi&format=md");

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(HtmlSecurityHeaders.BasePolicy, context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("nosniff", context.Response.Headers.XContentTypeOptions.ToString());
    }

    private async Task<(HttpContext Context, byte[] Body)> GetAsync(string query)
    {
        await using var scope = fixture.Registry.Services.CreateAsyncScope();
        var builder = WebApplication.CreateBuilder();
        // The registry's own database context, from the fixture's running registry.
        builder.Services.AddScoped(_ => scope.ServiceProvider.GetRequiredService<RegistryContext>());
        await using var app = builder.Build();
        app.MapNoticeApi();
        var endpoint = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == "/api/registers/notice");
        using var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = HttpMethods.Get;
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = body;

        await endpoint.RequestDelegate!(context);

        return (context, body.ToArray());
    }
}
