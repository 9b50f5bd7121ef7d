using Microsoft.Playwright;
using Procexon.Testing;

namespace Procexon.Identity.Tests;

/// <summary>
/// The login pages in Debian's chromium: signing in, a wrong password, the lockout and logging out, each page checked
/// with axe and photographed into <c>docs/identity/</c>. The client's redirect URIs are answered by the test.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class LoginPageBrowserTests(IdentityFixture fixture)
{
    private static readonly string s_screenshots = Path.Combine(RepositoryPaths.Root, "docs", "identity");

    private IdentityProvider Provider => fixture.Provider;

    [Fact]
    public async Task Staff_member_signs_in_mistypes_is_locked_out_and_signs_out_on_accessible_pages()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await Pages.LaunchChromiumAsync(playwright);
        var page = await chromium.NewPageAsync(new() { Locale = "fi-FI", ViewportSize = new() { Width = 900, Height = 700 } });
        await page.RouteAsync("http://127.0.0.1/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = "<!DOCTYPE html><html lang=\"en\"><head><title>Client</title></head><body><main><h1>Client</h1></main></body></html>",
        }));
        using var pkce = new Browser(Provider);

        // Signing in: the authorization request leads to the login page and, with the right password, back to the client.
        await page.GotoAsync(pkce.AuthorizeUri().AbsoluteUri);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Kirjaudu sisään" }));
        await AssertAccessibleAsync(page, "login-fi");
        await SignInAsync(page, "customer-service", Provider.PasswordOf("customer-service"));
        await page.WaitForURLAsync(url => url.StartsWith(IdentityProvider.BrowserRedirectUri.AbsoluteUri, StringComparison.Ordinal) && url.Contains("code=", StringComparison.Ordinal),
            new() { WaitUntil = WaitUntilState.Commit });

        // Logging out asks first, then returns to the client.
        await page.GotoAsync(new Uri(Provider.Issuer, "connect/endsession?client_id=test-browser&post_logout_redirect_uri="
            + Uri.EscapeDataString(IdentityProvider.BrowserPostLogoutRedirectUri.AbsoluteUri)).AbsoluteUri);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Uloskirjautuminen" }));
        await AssertAccessibleAsync(page, "logout-fi");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu ulos" }).ClickAsync();
        await page.WaitForURLAsync(IdentityProvider.BrowserPostLogoutRedirectUri.AbsoluteUri + "**", new() { WaitUntil = WaitUntilState.Commit });

        // In English, a wrong password says so; the fifth locks the account, and the page says for how long.
        await page.GotoAsync(pkce.AuthorizeUri().AbsoluteUri);
        await page.GetByRole(AriaRole.Link, new() { Name = "In English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" }));
        await AssertAccessibleAsync(page, "login-en");
        await SignInAsync(page, "processor", "Not-the-password-1", "User name", "Password", "Sign in");
        await Expect(page.GetByRole(AriaRole.Alert).GetByText("The user name or password is wrong."));
        await AssertAccessibleAsync(page, "login-wrong-password-en");
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            await SignInAsync(page, "processor", "Not-the-password-1", "User name", "Password", "Sign in");
        }

        await Expect(page.GetByRole(AriaRole.Alert).GetByText("The account is locked for 15 minutes after 5 failed sign-in attempts."));
        await SignInAsync(page, "processor", Provider.PasswordOf("processor"), "User name", "Password", "Sign in");
        await Expect(page.GetByRole(AriaRole.Alert).GetByText("locked"));
        await AssertAccessibleAsync(page, "login-locked-en");
    }

    private static async Task SignInAsync(
        IPage page, string userName, string password, string userNameLabel = "Käyttäjätunnus", string passwordLabel = "Salasana", string button = "Kirjaudu")
    {
        await page.GetByLabel(userNameLabel).FillAsync(userName);
        await page.GetByLabel(passwordLabel).FillAsync(password);
        // Waits for the form's answer, then for the document that replaced this one, asked of the page itself: Playwright's
        // lifecycle events were seen missed for 30 s on a loaded machine, once "load" and once "domcontentloaded".
        await page.EvaluateAsync("() => { window.procexonFormPage = true; }");
        await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Request.IsNavigationRequest);
        await page.WaitForFunctionAsync("() => window.procexonFormPage === undefined && document.readyState !== 'loading'");
    }

    private static async Task Expect(ILocator locator) =>
        await locator.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 10_000 });

    private static async Task AssertAccessibleAsync(IPage page, string name) =>
        Assert.Empty(await Pages.AccessibilityViolationsAsync(page, s_screenshots, name));
}
