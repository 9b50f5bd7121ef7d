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
        // Committed, not loaded: what follows waits for what it reads, and Playwright was seen to miss a page's load
        // event for 30 s on a loaded machine.
        page.WaitForURLAsync(IsAtConsole, new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });

    /// <summary>
    /// Waits until the browser, sent to the console with cookies of an earlier sign-in, is either at the console (the
    /// session still open, or renewed at the provider without a form) or at the login page (it ended); true when at the console.
    /// </summary>
    public static async Task<bool> StillSignedInAsync(IPage page)
    {
        await page.WaitForURLAsync(url => IsAtConsole(url) || url.Contains("/account/login", StringComparison.Ordinal),
            new() { Timeout = 30_000, WaitUntil = WaitUntilState.Commit });
        return IsAtConsole(page.Url);
    }

    private static bool IsAtConsole(string url) =>
        !url.Contains("/account/", StringComparison.Ordinal) && !url.Contains("/connect/", StringComparison.Ordinal)
        && !url.Contains("signin-oidc", StringComparison.Ordinal);
}
