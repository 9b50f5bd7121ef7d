using System.Net;
using Procexon.Testing;

namespace Procexon.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class LoginPageTests(IdentityFixture fixture)
{
    private IdentityProvider Provider => fixture.Provider;

    [Fact]
    public async Task Login_page_is_in_finnish_by_default_and_in_english_once_chosen_and_remembers_the_choice()
    {
        using var browser = new Browser(Provider);
        var finnish = await browser.GetAsync(new Uri(Provider.Issuer, "account/login"));
        Assert.Contains("<html lang=\"fi\">", finnish.Html, StringComparison.Ordinal);
        Assert.Contains("<h1>Kirjaudu sisään</h1>", finnish.Html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"Password\">Salasana</label>", finnish.Html, StringComparison.Ordinal);

        var english = await browser.GetAsync(new Uri(Provider.Issuer, "account/language?culture=en&returnUrl=%2Faccount%2Flogin"));
        Assert.Equal("/account/login", english.Location.AbsolutePath);
        Assert.Contains("<html lang=\"en\">", english.Html, StringComparison.Ordinal);
        Assert.Contains("<h1>Sign in</h1>", english.Html, StringComparison.Ordinal);

        var later = await browser.GetAsync(new Uri(Provider.Issuer, "account/login"));
        Assert.Contains("<label for=\"UserName\">User name</label>", later.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_page_is_sent_with_security_headers()
    {
        using var http = new HttpClient { BaseAddress = Provider.Issuer };
        using var response = await http.GetAsync(new Uri("account/login", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Login_page_never_redirects_to_another_site()
    {
        using var browser = new Browser(Provider);
        var page = await browser.GetAsync(new Uri(Provider.Issuer, "account/login?ReturnUrl=" + Uri.EscapeDataString("//evil.example/")));
        var after = await browser.SignInAsync(page, "register-admin", Provider.PasswordOf("register-admin"));

        Assert.Equal(Provider.Issuer.Authority, after.Location.Authority);
        Assert.Equal("/account", after.Location.AbsolutePath);
    }

    [Fact]
    public async Task Unknown_language_is_a_problem_naming_the_field()
    {
        using var http = new HttpClient { BaseAddress = Provider.Issuer };
        using var response = await http.GetAsync(new Uri("account/language?culture=sv", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("culture", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_answers()
    {
        using var http = new HttpClient { BaseAddress = Provider.Issuer };
        using var response = await http.GetAsync(new Uri("health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
