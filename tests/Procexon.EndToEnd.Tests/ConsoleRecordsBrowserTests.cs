using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The console's records pages (issue 13): retention (legal holds placed and lifted by the privacy officer, a sweep by
/// the register admin, the auditor reading both), the disclosure log with the notices awaiting recipients'
/// confirmation, and the audit trail with its export for the Data Protection Ombudsman. Seeded through the API.
/// </summary>
public sealed partial class ConsoleBrowserTests
{
    private const int SeededRetentionRules = 21;

    [Fact]
    public async Task Privacy_officer_places_a_legal_hold_on_a_subject_with_a_reason_sees_it_listed_and_lifts_it()
    {
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Riikka Riita", email = $"hold-{Guid.NewGuid():N}@example.fi" });
        await using var browser = await SignedInAsync("privacy-officer", "/");
        var page = browser.Page;
        await page.Locator("#nav-retention").ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Säilytys", Level = 1 }));
        await Assertions.Expect(page.Locator("#retention-rules tbody tr")).ToHaveCountAsync(SeededRetentionRules);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Rekisteröidyn tunniste" }).FillAsync(subjectId.ToString());
        await FluentButton(page, "Näytä säilytykset").ClickAsync();
        await Visible(page.GetByText("Rekisteröidylle ei ole asetettu oikeudellista säilytystä."));
        await AssertAccessibleAsync(page, "retention-fi");

        // No reason: the API's problem beside the reason field, and no hold.
        await FluentButton(page, "Aseta säilytys").ClickAsync();
        await Visible(page.GetByText("Kirjoita perustelu (enintään 2000 merkkiä)."));
        await Assertions.Expect(page.Locator("#legal-holds tbody tr")).ToHaveCountAsync(0);
        await AssertAccessibleAsync(page, "retention-problem-fi");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Minkä vaateen vuoksi tiedot säilytetään" }).FillAsync("Reklamaatio 2026/7 voi mennä oikeuteen");
        await FluentButton(page, "Aseta säilytys").ClickAsync();
        var row = page.Locator("#legal-holds tbody tr", new() { HasText = "Reklamaatio 2026/7" });
        await Visible(row.GetByText("voimassa"));
        await Visible(row.GetByText("Kaikki rekisterit"));
        await Assertions.Expect(page.Locator("#legal-holds tbody tr")).ToHaveCountAsync(1);
        // The log across subjects, newest first and in force, gains it at its top without a reload.
        await Visible(page.Locator("#legal-hold-log tbody tr").First.GetByText("Reklamaatio 2026/7"));
        await AssertAccessibleAsync(page, "retention-hold-placed-fi");

        // Lifted with a reason of its own; the row says who lifted it and why.
        await row.Locator("fluent-button", new() { HasText = "Pura" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { NameRegex = new("^Miksi säilytys päättyy") }).FillAsync("Sovittu tuomioistuimen ulkopuolella");
        await FluentButton(page, "Pura säilytys").ClickAsync();
        await Visible(row.GetByText("purettu"));
        await Visible(row.GetByText("Sovittu tuomioistuimen ulkopuolella"));
        Assert.Equal(0, await row.Locator("fluent-button").CountAsync());
        await Assertions.Expect(page.Locator("#legal-hold-log tbody tr", new() { HasText = "Reklamaatio 2026/7" })).ToHaveCountAsync(0);

        using (var holds = await GetJsonAsync(platform.Gateway, $"/api/retention/legal-holds?subject={subjectId}"))
        {
            var hold = Assert.Single(holds.RootElement.EnumerateArray());
            Assert.Equal(("lifted", "Reklamaatio 2026/7 voi mennä oikeuteen", "Sovittu tuomioistuimen ulkopuolella"),
                (hold.GetProperty("status").GetString(), hold.GetProperty("reason").GetString(), hold.GetProperty("liftReason").GetString()));
            Assert.Contains("privacy-officer", hold.GetProperty("liftedBy").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        // The same page in English: the subject stays in the address.
        await page.GotoAsync(new Uri(Gateway, $"/retention?subject={subjectId}").AbsoluteUri);
        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Retention", Level = 1 }));
        await Visible(page.Locator("#legal-holds tbody tr", new() { HasText = "Reklamaatio 2026/7" }).GetByText("lifted"));
        await AssertAccessibleAsync(page, "retention-en");
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task Auditor_finds_a_legal_hold_among_every_subjects_opens_its_subject_and_sees_no_control_to_place_lift_or_sweep()
    {
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Tarja Tarkastettava", email = $"audited-hold-{Guid.NewGuid():N}@example.fi" });
        var officer = await platform.GatewayAs("privacy-officer");
        using (var placed = await officer.PostAsJsonAsync("/api/retention/legal-holds",
            new { subjectId, register = "email-archive", basis = "legal-claims", reason = "Työsuhderiita 2026/3" }))
        {
            await AssertStatusAsync(placed, HttpStatusCode.Created);
        }

        await using var browser = await SignedInAsync("auditor", "/retention");
        var page = browser.Page;
        var logged = page.Locator("#legal-hold-log tbody tr", new() { HasText = "Työsuhderiita 2026/3" });
        await Visible(logged.GetByText("email-archive"));
        await Visible(page.Locator("#erasure-schedule caption"));
        await logged.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/retention\\?subject={subjectId}"));
        var row = page.Locator("#legal-holds tbody tr", new() { HasText = "Työsuhderiita 2026/3" });
        await Visible(row.GetByText("voimassa"));
        await Visible(row.GetByText("email-archive"));
        await Assertions.Expect(page.Locator("#retention-rules tbody tr")).ToHaveCountAsync(SeededRetentionRules);
        await Visible(page.Locator("#retention-rules").GetByText("Kirjanpitolaki (1336/1997) 2 luku 10 §"));
        await Visible(page.Locator("#retention-rules").GetByText("10 vuotta"));
        Assert.Equal(0, await page.Locator("#place-submit, #lift-submit, #retention-sweep").CountAsync());
        Assert.Equal(0, await page.Locator("#legal-holds fluent-button").CountAsync());
        await AssertAccessibleAsync(page, "retention-auditor-fi");

        // The API refuses the auditor what the page does not offer.
        var auditor = await platform.GatewayAs("auditor");
        using var refused = await auditor.PostAsJsonAsync("/api/retention/legal-holds", new { subjectId, basis = "legal-claims", reason = "Not mine to place" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var sweep = await auditor.PostAsJsonAsync("/api/retention/sweeps", new { });
        Assert.Equal(HttpStatusCode.Forbidden, sweep.StatusCode);
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task Register_admin_runs_a_sweep_and_sees_how_many_holds_it_released()
    {
        await using var browser = await SignedInAsync("register-admin", "/retention");
        var page = browser.Page;
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Säilytysajan tarkistus" }));
        await FluentButton(page, "Tarkista nyt").ClickAsync();
        var result = page.Locator("#sweep-result");
        await Visible(result);
        Assert.Matches(new Regex(@"^Tarkistus vapautti poistettavaksi \d+ säilytystä \(\d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2}\)\.$"), (await result.TextContentAsync())!.Trim());
        await AssertAccessibleAsync(page, "retention-sweep-fi");

        // The register admin keeps the rules and runs sweeps, but places no legal hold.
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Rekisteröidyn tunniste" }).FillAsync(Guid.NewGuid().ToString());
        await FluentButton(page, "Näytä säilytykset").ClickAsync();
        await Visible(page.GetByText("Rekisteröidylle ei ole asetettu oikeudellista säilytystä."));
        Assert.Equal(0, await page.Locator("#place-submit").CountAsync());

        // A malformed id: the API's problem beside the field.
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Rekisteröidyn tunniste" }).FillAsync("not-an-id");
        await FluentButton(page, "Näytä säilytykset").ClickAsync();
        await Visible(page.GetByText("Tarkista rekisteröidyn tunniste: anna se sellaisena kuin rekisteröityjen sivu sen näyttää."));
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task The_disclosures_page_lists_a_recorded_disclosure_and_a_rectification_notice_awaiting_the_recipients_confirmation()
    {
        var email = $"disclosed-{Guid.NewGuid():N}@example.fi";
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Lauri Luovutettu", email });
        await platform.Gateway.AddRecordAsync("customers", subjectId, "basic-data", new() { ["address"] = "Vanhatie 3, Espoo" });
        using (var disclosed = await platform.Gateway.PostAsJsonAsync("/api/disclosures",
            new { recipientId = "finago", subjectId, categories = new[] { "basic-data" }, legalBasis = "contract", subject = new { email } }))
        {
            await AssertStatusAsync(disclosed, HttpStatusCode.Created);
        }

        // Finago has no automated channel: its rectification notice waits for staff to hear from it.
        using var received = await platform.Gateway.PostAsJsonAsync("/api/requests", new
        {
            type = "rectification",
            subject = new { email },
            channel = "email",
            corrections = new[] { new { field = "address", value = "Uusitie 4, Espoo" } },
        });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;
        var requestId = Guid.Parse(requestPath[(requestPath.LastIndexOf('/') + 1)..]);
        using (var verified = await platform.Gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-known-contact" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        Assert.True(await EventuallyAsync(async () =>
        {
            using var notices = await GetJsonAsync(platform.Gateway, $"/api/rectification-notifications?request={requestId}");
            return notices.RootElement.GetArrayLength() == 1;
        }, TimeSpan.FromSeconds(90)), "Finago was never sent its rectification notice.");

        await using var browser = await SignedInAsync("auditor", "/");
        var page = browser.Page;
        await page.Locator("#nav-disclosures").ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Luovutukset", Level = 1 }));
        var disclosure = page.Locator("#disclosure-log tbody tr", new() { HasText = subjectId.ToString() });
        await Visible(disclosure.GetByText("Finago"));
        // The log keeps the address masked; the page shows it as kept.
        Assert.DoesNotContain(email, await disclosure.TextContentAsync(), StringComparison.Ordinal);
        var notice = page.Locator("#notices-awaiting tbody tr", new() { Has = page.Locator($"a[href='/requests/{requestId}']") });
        await Visible(notice.GetByText("Oikaisu"));
        await Visible(notice.GetByText("Ilmoitettu"));
        await AssertAccessibleAsync(page, "disclosures-fi");

        // Filtered to Finago, ours is still there and every row is Finago's.
        await page.Locator("#filter-recipient").ClickAsync();
        await page.Locator("#filter-recipient fluent-option", new() { HasText = "Finago" }).ClickAsync();
        await FluentButton(page, "Näytä").ClickAsync();
        await Visible(disclosure);
        await Assertions.Expect(page.Locator("#disclosure-log tbody tr").Filter(new() { HasNotText = "Finago" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Disclosures", Level = 1 }));
        await Visible(page.Locator("#notices-awaiting tbody tr", new() { Has = page.Locator($"a[href='/requests/{requestId}']") }).GetByText("Rectification"));
        await AssertAccessibleAsync(page, "disclosures-en");

        // Each notice leads to its request.
        await page.Locator($"#notices-awaiting a[href='/requests/{requestId}']").ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Rectification") }));
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task The_audit_page_shows_the_requests_trail_and_subject_searches_and_downloads_the_export_as_csv()
    {
        var requestId = await WrittenRequestAsync(FinnishToday());
        using (var search = await platform.Gateway.PostAsJsonAsync("/api/subjects/search", new { email = $"searched-{Guid.NewGuid():N}@example.fi" }))
        {
            await AssertStatusAsync(search, HttpStatusCode.OK);
        }

        await using var browser = await SignedInAsync("auditor", "/");
        var page = browser.Page;
        await page.Locator("#nav-audit").ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Kirjausketju", Level = 1 }));
        var entry = page.Locator("#audit-entries tbody tr", new() { Has = page.Locator($"a[href='/requests/{requestId}']") });
        await Visible(entry.GetByText("Vastaanotettu"));
        await Visible(entry.GetByText("Poistaminen"));
        await Visible(page.Locator("#subject-searches tbody tr", new() { HasText = "e2e-staff" }).GetByText("sähköposti"));
        await AssertAccessibleAsync(page, "audit-fi");

        // The download goes through the console, which asks the API with the auditor's token: the browser has none.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#audit-download").ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("sequence,requestId,requestType,occurredAt,action,actor", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains($"{requestId},erasure,", csv, StringComparison.Ordinal);

        var href = await page.Locator("#audit-download").GetAttributeAsync("href");
        var response = await page.Context.APIRequest.GetAsync(new Uri(Gateway, href!).AbsoluteUri);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/csv", response.Headers["content-type"], StringComparison.Ordinal);
        Assert.Contains("attachment", response.Headers["content-disposition"], StringComparison.Ordinal);

        // Without the console's session the export is not handed out.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Gateway };
        using var refused = await anonymous.GetAsync(new Uri(href!, UriKind.Relative));
        Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, $"The export without a session answered {(int)refused.StatusCode}");

        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Audit trail", Level = 1 }));
        await Visible(page.Locator("#audit-entries tbody tr", new() { Has = page.Locator($"a[href='/requests/{requestId}']") }).GetByText("Received"));
        await AssertAccessibleAsync(page, "audit-en");
        Assert.Empty(browser.Blocked);
    }
}
