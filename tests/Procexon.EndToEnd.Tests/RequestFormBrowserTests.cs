using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using Procexon.Testing;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The public request form as a data subject meets it, in Debian's chromium through the gateway: a problem shown
/// beside its field, the request sent, the e-mailed code typed, and the link to the answer that only the requester
/// holds — each page checked with axe and photographed: into <c>docs/requests/</c> when <c>PROCEXON_SCREENSHOTS</c> is
/// set (the pages show a request's id and key, new at every run), else into a temporary folder.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class RequestFormBrowserTests(PlatformFixture platform)
{
    private static readonly string s_screenshots = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PROCEXON_SCREENSHOTS"))
        ? Path.Combine(Path.GetTempPath(), "procexon-screenshots", "requests")
        : Path.Combine(RepositoryPaths.Root, "docs", "requests");

    [Fact]
    public async Task A_subject_sends_a_request_verifies_it_by_code_and_reads_the_answer_through_their_own_link()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var chromium = await Pages.LaunchChromiumAsync(playwright);
        var gateway = platform.App.GetEndpoint("gateway", "http");
        var page = await chromium.NewPageAsync(new() { Locale = "fi-FI", ViewportSize = new() { Width = 900, Height = 900 } });
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                blocked.Add(message.Text);
            }
        };

        await page.GotoAsync(new Uri(gateway, "/requests/new").AbsoluteUri);
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Tietosuojapyyntö / Data protection request" }));
        await AssertAccessibleAsync(page, "form");

        // Nothing to identify the requester by: the problem is shown beside the identifiers.
        await page.GetByRole(AriaRole.Button, new() { Name = "Lähetä / Send" }).ClickAsync();
        await Visible(page.Locator(".error[data-for=\"subject\"]").Filter(new() { HasTextRegex = new Regex(".+") }));
        await AssertAccessibleAsync(page, "form-problem");

        var email = $"form-{Guid.NewGuid():N}@example.fi";
        await page.GetByLabel("Nimi / Name").FillAsync("Liisa Lomake");
        await page.GetByLabel("Sähköposti / E-mail").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lähetä / Send" }).ClickAsync();
        await Visible(page.GetByLabel("Koodi / Code"));
        var received = await page.Locator("#result").TextContentAsync();
        var requestId = Guid.Parse(RequestId().Match(received!).Value);
        await AssertAccessibleAsync(page, "form-code");

        // The code as the mail server received it, to the address typed in.
        var mail = Assert.Single(await platform.Mail.WaitForAsync(requestId));
        Assert.Equal([email], mail.Recipients);
        var code = mail.Code!;
        await page.GetByLabel("Koodi / Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Vahvista / Verify" }).ClickAsync();
        var link = page.Locator("#answer-link");
        await Visible(link);
        await AssertAccessibleAsync(page, "form-verified");
        var answerUrl = await link.GetAttributeAsync("href");
        Assert.Contains("key=", answerUrl, StringComparison.Ordinal);

        // Nobody holds data on a new address, so the request completes at once; the link then shows the answer, and
        // the same address without the key does not.
        using (await platform.Gateway.WaitForCompletionAsync($"/api/requests/{requestId}", TimeSpan.FromSeconds(90)))
        {
        }

        var answer = await page.GotoAsync(new Uri(gateway, answerUrl).AbsoluteUri);
        Assert.Equal(200, answer!.Status);
        Assert.Contains("Emme käsittele sinua koskevia henkilötietoja", await answer.TextAsync(), StringComparison.Ordinal);
        var withoutKey = await page.GotoAsync(new Uri(gateway, $"/api/requests/{requestId}/answer").AbsoluteUri);
        Assert.Equal(401, withoutKey!.Status);
        Assert.Empty(blocked);
    }

    private static async Task Visible(ILocator locator) =>
        await locator.First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 15_000 });

    private static async Task AssertAccessibleAsync(IPage page, string name) =>
        Assert.Empty(await Pages.AccessibilityViolationsAsync(page, s_screenshots, name));

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RequestId();
}
