using Microsoft.Playwright;

namespace Procexon.EndToEnd.Tests;

/// <summary>Signing in to the console through the gateway, as a person does, for any platform fixture.</summary>
internal static class ConsoleSignIn
{
    /// <summary>Opens the console, which sends the browser to the platform's login page, and gives the user's name and password there.</summary>
    public static async Task WithPasswordAsync(IPage page, Uri gateway, string user, string password)
    {
        await page.GotoAsync(new Uri(gateway, "/").AbsoluteUri);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Kirjaudu sisään" }).WaitForAsync(new() { Timeout = 20_000 });
        await page.GetByLabel("Käyttäjätunnus").FillAsync(user);
        await page.GetByLabel("Salasana").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu", Exact = true }).ClickAsync();
    }

    /// <summary>Waits until the provider has sent the browser back to a page of the console.</summary>
    public static Task BackAtConsoleAsync(IPage page) =>
        page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal)
            && !url.Contains("/connect/", StringComparison.Ordinal) && !url.Contains("signin-oidc", StringComparison.Ordinal),
            // Committed, not loaded: what follows waits for what it reads, and Playwright was seen to miss a page's load
            // event for 30 s on a loaded machine.
            new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });
}
