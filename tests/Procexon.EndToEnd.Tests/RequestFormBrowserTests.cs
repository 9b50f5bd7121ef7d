using System.Globalization;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using Procexon.Testing;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The public request form, a page of the console open to all, as a data subject meets it in Debian's chromium through
/// the gateway: in Finnish and English, each problem beside its field and in a summary that takes the focus, the request
/// sent, the e-mailed code typed (a wrong one first), and the link to the answer that only the requester holds — each
/// page checked with axe and photographed: into <c>docs/console/</c> when <c>PROCEXON_SCREENSHOTS</c> is set, else into
/// a temporary folder.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class RequestFormBrowserTests(PlatformFixture platform, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly string s_screenshots = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PROCEXON_SCREENSHOTS"))
        ? Path.Combine(Path.GetTempPath(), "procexon-screenshots", "console")
        : Path.Combine(RepositoryPaths.Root, "docs", "console");

    [Fact]
    public async Task A_subject_sends_a_request_in_both_languages_verifies_it_by_code_and_reads_the_answer_through_their_own_link()
    {
        var gateway = platform.App.GetEndpoint("gateway", "http");
        // A context of its own: no cookie of the console, no session, a member of the public.
        await using var context = await chromium.Browser.NewContextAsync(new() { Locale = "fi-FI", ViewportSize = new() { Width = 900, Height = 900 } });
        var page = await context.NewPageAsync();
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                blocked.Add(message.Text);
            }
        };

        var form = await page.GotoAsync(new Uri(gateway, "/requests/new").AbsoluteUri);
        Assert.Equal(200, form!.Status);
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Tietosuojapyyntö", Exact = true }));
        Assert.Equal("Tietosuojapyyntö — Procexon Oy", await page.TitleAsync());
        // The public's page: no staff menu and no sign-out.
        Assert.Equal(0, await page.GetByRole(AriaRole.Navigation).CountAsync());
        Assert.Equal(0, await page.Locator("#sign-out").CountAsync());
        await AssertAccessibleAsync(page, "public-form-fi");

        // Nothing chosen, nothing to identify the requester by: each problem beside its field, and the summary has the focus.
        await page.GetByRole(AriaRole.Button, new() { Name = "Lähetä pyyntö" }).ClickAsync();
        await Visible(page.Locator("#request-type-problem", new() { HasText = "Valitse, mitä pyydät." }));
        await Visible(page.Locator("#request-subject-problem", new() { HasText = "Anna ainakin yksi tunniste" }));
        await Assertions.Expect(page.Locator("#request-summary")).ToBeFocusedAsync();
        await Visible(page.Locator("#request-summary").GetByRole(AriaRole.Link, new() { Name = "Mitä pyydät?: Valitse, mitä pyydät." }));
        await AssertAccessibleAsync(page, "public-form-problem-fi");

        // English, remembered as the console remembers it: a bad address is shown beside the e-mail field.
        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Data protection request", Exact = true }));
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await AssertAccessibleAsync(page, "public-form-en");
        await page.GetByLabel("What do you ask for?", new() { Exact = true }).SelectOptionAsync("erasure");
        await page.GetByLabel("E-mail", new() { Exact = true }).FillAsync("liisa.example.fi");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the request" }).ClickAsync();
        await Visible(page.Locator("#request-email-problem", new() { HasText = "Check the e-mail address" }));
        Assert.Equal("true", await page.GetByLabel("E-mail", new() { Exact = true }).GetAttributeAsync("aria-invalid"));
        Assert.Equal(0, await page.Locator("#request-type-problem:visible").CountAsync());
        await Assertions.Expect(page.Locator("#request-summary")).ToBeFocusedAsync();
        await AssertAccessibleAsync(page, "public-form-problem-en");

        // Back to Finnish, and the request sent: the code goes to the address typed in.
        await page.GetByRole(AriaRole.Button, new() { Name = "Suomeksi" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Tietosuojapyyntö", Exact = true }));
        var email = $"form-{Guid.NewGuid():N}@example.fi";
        await page.GetByLabel("Mitä pyydät?", new() { Exact = true }).SelectOptionAsync("access");
        await page.GetByLabel("Nimi", new() { Exact = true }).FillAsync("Liisa Lomake");
        await page.GetByLabel("Sähköposti", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Lisätiedot").FillAsync("Mitä tietoja minusta on?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lähetä pyyntö" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Vahvista sähköpostiosoitteesi" }));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Vahvista sähköpostiosoitteesi" })).ToBeFocusedAsync();
        var received = await page.Locator("#request-received").TextContentAsync();
        var requestId = Guid.Parse(RequestId().Match(received!).Value);
        Assert.Contains(
            $"Vastaamme viimeistään {FinnishToday().AddMonths(1).ToString("d.M.yyyy", CultureInfo.InvariantCulture)}", received, StringComparison.Ordinal);
        await Visible(page.Locator("#code-status", new() { HasText = "Lähetimme sähköpostiisi kuusinumeroisen koodin" }));
        await AssertAccessibleAsync(page, "public-form-code-fi");

        // The code as the mail server received it; a wrong one first, whose problem is shown beside the code.
        var mail = Assert.Single(await platform.Mail.WaitForAsync(requestId));
        Assert.Equal([email], mail.Recipients);
        var code = mail.Code!;
        var wrong = ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        await page.GetByLabel("Koodi", new() { Exact = true }).FillAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Vahvista", Exact = true }).ClickAsync();
        await Visible(page.Locator("#request-code-problem", new() { HasText = "Koodia ei hyväksytty" }));
        await Assertions.Expect(page.Locator("#code-summary")).ToBeFocusedAsync();
        await AssertAccessibleAsync(page, "public-form-code-problem-fi");

        await page.GetByLabel("Koodi", new() { Exact = true }).FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Vahvista", Exact = true }).ClickAsync();
        var link = page.Locator("#answer-link");
        await Visible(link);
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Pyyntö vahvistettu" }));
        var answerUrl = await link.GetAttributeAsync("href");
        Assert.StartsWith($"/api/requests/{requestId}/answer?key=", answerUrl, StringComparison.Ordinal);
        Assert.Equal(new Uri(gateway, answerUrl).AbsoluteUri, await link.TextContentAsync());
        await AssertAccessibleAsync(page, "public-form-verified-fi");

        // Nobody holds data on a new address, so the request completes at once; the link then shows the answer, and
        // the same address without the key does not.
        using (await platform.Gateway.WaitForCompletionAsync($"/api/requests/{requestId}", TimeSpan.FromSeconds(90)))
        {
        }

        var answer = await page.RunAndWaitForResponseAsync(() => link.ClickAsync(), response => response.Url.Contains("/answer?key=", StringComparison.Ordinal));
        Assert.Equal(200, answer.Status);
        Assert.Contains("Emme käsittele sinua koskevia henkilötietoja", await answer.TextAsync(), StringComparison.Ordinal);
        var withoutKey = await page.GotoAsync(new Uri(gateway, $"/api/requests/{requestId}/answer").AbsoluteUri);
        Assert.Equal(401, withoutKey!.Status);
        Assert.Empty(blocked);
    }

    [Fact]
    public async Task A_subject_asks_for_rectification_with_the_corrections_and_reads_the_privacy_notice_from_the_form()
    {
        var gateway = platform.App.GetEndpoint("gateway", "http");
        await using var context = await chromium.Browser.NewContextAsync(new() { Locale = "fi-FI", ViewportSize = new() { Width = 900, Height = 1100 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(gateway, "/requests/new").AbsoluteUri);
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Tietosuojapyyntö", Exact = true }));

        // Only the chosen type's own fields are shown: no ground of objection and no corrections for an erasure.
        var corrections = page.GetByRole(AriaRole.Group, new() { Name = "Oikaisut" });
        Assert.False(await corrections.IsVisibleAsync());
        Assert.False(await page.GetByLabel("Mitä vastustat?", new() { Exact = true }).IsVisibleAsync());

        // A rectification shows its first row; sent empty, the problem is beside the corrections, in Finnish.
        await page.GetByLabel("Mitä pyydät?", new() { Exact = true }).SelectOptionAsync("rectification");
        await Visible(corrections);
        var email = $"oikaisu-{Guid.NewGuid():N}@example.fi";
        await page.GetByLabel("Sähköposti", new() { Exact = true }).FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lähetä pyyntö" }).ClickAsync();
        await Visible(page.Locator("#request-corrections-problem", new() { HasText = "Anna ainakin yksi oikaistava tieto" }));
        await Assertions.Expect(page.Locator("#request-summary")).ToBeFocusedAsync();

        // Two rows, the second's phone number wrong: its problem is beside that row's value.
        await page.GetByLabel("Oikaistava tieto 1", new() { Exact = true }).SelectOptionAsync("address");
        await page.GetByLabel("Oikea arvo 1", new() { Exact = true }).FillAsync("Uusikatu 5 B, 00100 Helsinki");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lisää oikaisu" }).ClickAsync();
        await page.GetByLabel("Oikaistava tieto 2", new() { Exact = true }).SelectOptionAsync("phone");
        await page.GetByLabel("Oikea arvo 2", new() { Exact = true }).FillAsync("ei numero");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lähetä pyyntö" }).ClickAsync();
        await Visible(page.Locator("#request-correction-value-1-problem", new() { HasText = "Anna oikea arvo" }));
        Assert.Equal("true", await page.GetByLabel("Oikea arvo 2", new() { Exact = true }).GetAttributeAsync("aria-invalid"));
        Assert.Equal(0, await page.Locator("#request-corrections-problem:visible").CountAsync());
        await AssertAccessibleAsync(page, "public-form-corrections-problem-fi");

        await page.GetByLabel("Oikea arvo 2", new() { Exact = true }).FillAsync("040 123 4567");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lähetä pyyntö" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Vahvista sähköpostiosoitteesi" }));
        var requestId = Guid.Parse(RequestId().Match((await page.Locator("#request-received").TextContentAsync())!).Value);

        // The request carries both corrections, as staff see it: nobody has to ask the requester for them.
        using var request = await GatewayCalls.GetJsonAsync(platform.Gateway, $"/api/requests/{requestId}");
        Assert.Equal(["address", "phone"], request.RootElement.GetProperty("correctedFields").EnumerateArray().Select(f => f.GetString()).Order(StringComparer.Ordinal));

        // The privacy notice, one link away and in the page's language, without an account.
        await page.GotoAsync(new Uri(gateway, "/requests/new").AbsoluteUri);
        await page.GetByRole(AriaRole.Link, new() { Name = "Miten Procexon Oy käsittelee henkilötietoja: tietosuojaseloste" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(NoticeAddress());
        Assert.Contains("lang=fi", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Procexon Oy:n tietosuojaseloste");
    }

    private static DateOnly FinnishToday() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki")).DateTime);

    private static async Task Visible(ILocator locator) =>
        await locator.First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 15_000 });

    private static async Task AssertAccessibleAsync(IPage page, string name)
    {
        var violations = await Pages.AccessibilityViolationsAsync(page, s_screenshots, name);
        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [GeneratedRegex(@"/api/registers/notice\?lang=(fi|en)&format=html$")]
    private static partial Regex NoticeAddress();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RequestId();
}
