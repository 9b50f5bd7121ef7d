using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Procexon.Testing;

/// <summary>
/// Pages as a person sees them: Debian's chromium driven by Playwright (never a browser Playwright downloads), each page
/// photographed and checked with axe.
/// </summary>
public static class Pages
{
    /// <summary>Headless chromium without the background traffic a closed network refuses.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    /// <summary>
    /// Photographs the page into <paramref name="folder"/> as <paramref name="name"/>.png and answers axe's violations,
    /// one line each: every one, or with <paramref name="seriousOnly"/> those axe rates serious or critical.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AccessibilityViolationsAsync(IPage page, string folder, string name, bool seriousOnly = false)
    {
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        var result = await page.RunAxe();
        return
        [
            .. result.Violations
                .Where(v => !seriousOnly || v.Impact is "serious" or "critical")
                .Select(v => $"{name}: {v.Id} ({v.Impact}): {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})"),
        ];
    }
}
