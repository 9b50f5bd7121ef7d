using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using Procexon.Testing;
using Procexon.Testing.Telemetry;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The staff console as staff meet it, in Debian's chromium through the gateway: signing in at the platform's login
/// page, the inbox, a request's page with its live progress, its actions and its timeline, both languages, signing
/// out. Each page is checked with axe and photographed: into <c>docs/console/</c> when <c>PROCEXON_SCREENSHOTS</c> is
/// set, else into a temporary folder.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class ConsoleBrowserTests(PlatformFixture platform, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly string s_screenshots = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PROCEXON_SCREENSHOTS"))
        ? Path.Combine(Path.GetTempPath(), "procexon-screenshots", "console")
        : Path.Combine(RepositoryPaths.Root, "docs", "console");

    private static readonly TimeZoneInfo s_finland = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");

    private Uri Gateway => platform.App.GetEndpoint("gateway", "http");

    [Fact]
    public async Task Customer_service_finds_a_written_request_in_the_inbox_verifies_it_watches_it_complete_in_both_languages_and_signs_out()
    {
        // Received a year ago, the longest ago a letter may be entered: due before any other request, so first in the inbox.
        var today = FinnishToday();
        var id = await WrittenRequestAsync(today.AddYears(-1));
        await using var browser = await SignedInAsync("customer-service", "/");
        var page = browser.Page;
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Pyynnöt", Exact = true }));
        var link = page.Locator($"a[href='/requests/{id}']");
        var row = page.Locator("tr", new() { Has = link });
        await Visible(row);
        await Visible(row.GetByText("Myöhässä"));
        await Visible(row.GetByText(today.AddYears(-1).AddMonths(1).ToString("d.M.yyyy", CultureInfo.InvariantCulture)));
        await AssertAccessibleAsync(page, "inbox-fi");

        // The count of a status filters the inbox to it; the request awaits verification, so it stays listed.
        await FluentButton(page, "Odottaa tunnistamista").ClickAsync();
        await Visible(page.Locator("[aria-current='true']", new() { HasText = "Odottaa tunnistamista" }));
        await Visible(row);

        // The deadline filter, as a person picks it: overdue requests only; ours is one.
        await page.Locator("#filter-deadline").ClickAsync();
        await page.Locator("fluent-option", new() { HasText = "Myöhässä" }).ClickAsync();
        await FluentButton(page, "Näytä").ClickAsync();
        await Assertions.Expect(page.Locator("table.requests tbody tr").Filter(new() { HasNotText = "Myöhässä" })).ToHaveCountAsync(0);
        await Visible(row);
        await AssertAccessibleAsync(page, "inbox-overdue-fi");

        await link.ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Tunnista pyytäjä" }));
        await Visible(page.Locator("#request-status", new() { HasText = "Odottaa tunnistamista" }));
        // Customer service verifies but does not decide: the privacy officer's actions are not on the page, nor the audit trail.
        Assert.Equal(0, await page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Pidennä vastausaikaa") }).CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Hylkää pyyntö") }).CountAsync());
        await Visible(page.GetByText("Tapahtumaloki näytetään tietosuojavastaavalle ja tarkastajalle."));
        await AssertAccessibleAsync(page, "request-fi");

        // No method chosen: the problem is shown beside the field it names, in Finnish.
        await FluentButton(page, "Merkitse tunnistetuksi").ClickAsync();
        await Visible(page.GetByText("Valitse, miten pyytäjän henkilöllisyys tunnistettiin."));
        await AssertAccessibleAsync(page, "request-problem-fi");

        await page.Locator("#verify-method").ClickAsync();
        await page.Locator("fluent-option", new() { HasText = "henkilöstön tarkastama henkilöllisyystodistus" }).ClickAsync();
        await FluentButton(page, "Merkitse tunnistetuksi").ClickAsync();

        // Nobody holds data on a new address: every register answers "not held" and the request completes, and the page
        // shows it as it happens, without a reload.
        await Visible(page.Locator("#request-status", new() { HasText = "Valmis" }), TimeSpan.FromSeconds(90));
        await Visible(page.Locator("#registers").GetByText("Ei tietoja"));
        Assert.Equal(10, await page.Locator("#registers tbody tr").CountAsync());
        await AssertAccessibleAsync(page, "request-completed-fi");

        // English, remembered from page to page; then Finnish again.
        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Erasure" }));
        await Visible(page.Locator("#request-status", new() { HasText = "Completed" }));
        await Visible(page.Locator("#registers").GetByText("Not held"));
        await AssertAccessibleAsync(page, "request-completed-en");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to requests" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Requests", Exact = true }));
        await Visible(page.GetByRole(AriaRole.Columnheader, new() { Name = "Due" }));
        await AssertAccessibleAsync(page, "inbox-en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suomeksi" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Pyynnöt", Exact = true }));
        await Visible(page.GetByRole(AriaRole.Columnheader, new() { Name = "Määräpäivä" }));

        // Signing out ends the console's session and, once confirmed, the identity provider's: the next visit asks for a password.
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu ulos" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Uloskirjautuminen" }));
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu ulos" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Olet kirjautunut ulos" }));
        await AssertAccessibleAsync(page, "signed-out-fi");
        await page.GotoAsync(new Uri(Gateway, $"/requests/{id}").AbsoluteUri);
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Kirjaudu sisään" }));
        Assert.Empty(browser.Blocked);

        // Every call above renewed the access token (Console:RefreshBefore in the fixture): the rolling refresh token
        // was spent and replaced each time, and no renewal was refused.
        var console = platform.Logs.Lines.Where(l => l.Resource.StartsWith("console", StringComparison.Ordinal)).Select(l => l.Line).ToList();
        Assert.Contains(console, line => line.Contains("Renewed a session's access token", StringComparison.Ordinal));
        Assert.DoesNotContain(console, line => line.Contains("refused a session's refresh token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Privacy_officer_extends_a_request_with_a_reason_refuses_it_and_the_timeline_shows_both()
    {
        var id = await WrittenRequestAsync(FinnishToday());
        await using var browser = await SignedInAsync("privacy-officer", $"/requests/{id}");
        var page = browser.Page;
        await Visible(page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Pidennä vastausaikaa") }));
        await Visible(page.Locator("#timeline").GetByText("Vastaanotettu"));

        // No reason: the API's problem beside the reason field; nothing changes.
        await FluentButton(page, "Pidennä").ClickAsync();
        await Visible(page.GetByText("Kirjoita perustelu (enintään 2000 merkkiä)."));
        await AssertAccessibleAsync(page, "request-extension-problem-fi");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Perustelu (kerrotaan pyytäjälle)" }).FillAsync("Tietoja on kymmenessä rekisterissä");
        await FluentButton(page, "Pidennä").ClickAsync();
        await Visible(page.Locator("#timeline li", new() { HasText = "Vastausaikaa pidennetty" }).GetByText("Tietoja on kymmenessä rekisterissä"));
        await Visible(page.Locator("#request-due").GetByText(FinnishToday().AddMonths(2).ToString("d.M.yyyy", CultureInfo.InvariantCulture)));
        await AssertAccessibleAsync(page, "request-extended-fi");

        await page.GetByRole(AriaRole.Textbox, new() { NameRegex = new("^Miksi pyyntö on ilmeisen perusteeton") }).FillAsync("Sama pyyntö vastattiin eilen");
        await FluentButton(page, "Hylkää").ClickAsync();
        await Visible(page.Locator("#request-status", new() { HasText = "Hylätty" }));
        await Visible(page.Locator("#timeline li", new() { HasText = "Hylätty" }).GetByText("Sama pyyntö vastattiin eilen"));
        // A refused request is closed: no action is left to take.
        Assert.Equal(0, await page.Locator("section.action").CountAsync());

        using var audit = await GatewayCalls.GetJsonAsync(platform.Gateway, $"/api/requests/{id}/audit");
        var actions = audit.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("extended", actions);
        Assert.Contains("refused", actions);
        Assert.All(audit.RootElement.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("action").GetString() is "extended" or "refused"),
            e => Assert.Contains("privacy-officer", e.GetProperty("actor").GetString(), StringComparison.OrdinalIgnoreCase));
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task Auditor_sees_the_request_and_its_timeline_and_no_action()
    {
        var id = await WrittenRequestAsync(FinnishToday());
        await using var browser = await SignedInAsync("auditor", $"/requests/{id}");
        var page = browser.Page;
        await Visible(page.Locator("#timeline").GetByText("Vastaanotettu"));
        await Visible(page.Locator("#request-status", new() { HasText = "Odottaa tunnistamista" }));
        Assert.Equal(0, await page.Locator("section.action").CountAsync());
        await AssertAccessibleAsync(page, "request-auditor-fi");

        // The API refuses the auditor what the page does not offer.
        var auditor = await platform.GatewayAs("auditor");
        using var extension = await auditor.PostAsJsonAsync($"/api/requests/{id}/extension", new { months = 1, reason = "Not mine to decide" });
        Assert.Equal(HttpStatusCode.Forbidden, extension.StatusCode);
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task The_console_lets_no_one_in_without_a_session_and_leaves_api_callers_to_the_gateway()
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Gateway };

        // A person's browser is sent to the login; the circuit, scripts and API clients without a session are told 401.
        using var page = new HttpRequestMessage(HttpMethod.Get, $"/requests/{Guid.NewGuid()}");
        page.Headers.Accept.ParseAdd("text/html");
        using var toLogin = await noRedirects.SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        // To the provider through the gateway's public address (the tokens' issuer), never to the provider's own.
        Assert.Equal("/connect/authorize", toLogin.Headers.Location!.AbsolutePath);
        Assert.NotEqual(platform.App.GetEndpoint("identity", "http").Port, toLogin.Headers.Location.Port);
        Assert.Contains("code_challenge=", toLogin.Headers.Location.Query, StringComparison.Ordinal);

        using var circuit = await noRedirects.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Unauthorized, circuit.StatusCode);
        using var logout = await noRedirects.PostAsync(new Uri("/logout", UriKind.Relative), null);
        Assert.True(logout.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"POST /logout without a form token answered {(int)logout.StatusCode}");

        // A caller with a token is an API client: an unknown path is still the gateway's 404 problem, not a console page.
        using var unknown = await platform.Gateway.GetAsync(new Uri("/requests", UriKind.Relative));
        await GatewayCalls.AssertProblemAsync(unknown, HttpStatusCode.NotFound, "The API lives under /api/");
    }

    [Fact]
    public async Task A_page_reads_the_session_and_is_never_stored_its_scripts_and_styles_read_nothing_and_may_be_cached()
    {
        await using var browser = await SignedInAsync("auditor", "/");

        // The page: the signed-in session read from the console's database, and the answer kept by no cache.
        var (shell, shellSpans) = await TracedGetAsync(browser.Page, "/");
        Assert.Equal(200, shell.Status);
        Assert.Contains("no-store", shell.Headers["cache-control"], StringComparison.Ordinal);
        Assert.Contains(shellSpans, s => s.Service == "console" && s.IsDatabaseRoundTrip);

        // Its code and styles, with the same cookie: served before the session is looked at, with their own caching.
        foreach (var path in new[] { "/_framework/blazor.web.js", "/app.css", "/js/start-circuit.js" })
        {
            var (file, spans) = await TracedGetAsync(browser.Page, path);
            Assert.Equal(200, file.Status);
            Assert.Contains(spans, s => s.Service == "console");
            Assert.DoesNotContain(spans, s => s.Service == "console" && s.IsDatabaseRoundTrip);
            Assert.DoesNotContain("no-store", file.Headers["cache-control"], StringComparison.Ordinal);
            Assert.Equal("nosniff", file.Headers["x-content-type-options"]);
        }
    }

    /// <summary>A GET through the gateway with the browser's cookies, in a trace of its own, and that trace once settled.</summary>
    private async Task<(IAPIResponse Response, IReadOnlyList<CollectedSpan> Spans)> TracedGetAsync(IPage page, string path)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var response = await page.Context.APIRequest.GetAsync(new Uri(Gateway, path).AbsoluteUri, new()
        {
            Headers = new Dictionary<string, string>
            {
                ["traceparent"] = $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01",
                ["Accept"] = "text/html,*/*",
            },
        });
        var spans = await platform.Traces.SettledTraceAsync(traceId, quiet: TimeSpan.FromSeconds(1), timeout: TimeSpan.FromSeconds(30));
        return (response, spans);
    }

    /// <summary>A written erasure request entered through the API, for a new address nobody holds data on.</summary>
    private async Task<Guid> WrittenRequestAsync(DateOnly receivedOn)
    {
        using var response = await platform.Gateway.PostAsJsonAsync("/api/requests", new
        {
            type = "erasure",
            subject = new { name = "Kaisa Konsoli", email = $"console-{Guid.NewGuid():N}@example.fi" },
            channel = "letter",
            receivedOn = receivedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        await GatewayCalls.AssertStatusAsync(response, HttpStatusCode.Created);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return created.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>
    /// Opens the console, which sends the browser to the platform's login page, and signs in there as the user of
    /// <paramref name="role"/>; the privacy officer enrols an authenticator first (the AppHost requires one for that
    /// role) and gives its code, computed here from the key the page shows.
    /// </summary>
    private async Task SignInAsync(IPage page, string role)
    {
        await ConsoleSignIn.WithPasswordAsync(page, Gateway, role, await platform.PasswordOfAsync(role));
        if (role == "privacy-officer")
        {
            await page.WaitForURLAsync(url => url.Contains("/account/authenticator", StringComparison.Ordinal)
                || url.Contains("/account/two-factor", StringComparison.Ordinal), new() { Timeout = 15_000, WaitUntil = WaitUntilState.Commit });
            if (page.Url.Contains("/account/authenticator", StringComparison.Ordinal))
            {
                // The run's first sign-in enrols the authenticator; the key is kept for the run's later sign-ins.
                var key = await page.Locator("#shared-key").TextContentAsync(new() { Timeout = 15_000 });
                s_authenticatorKey = key!.Replace(" ", "", StringComparison.Ordinal);
                await page.GetByLabel("Koodi").FillAsync(await AuthenticatorCodeAsync());
                await page.GetByRole(AriaRole.Button, new() { Name = "Jatka" }).ClickAsync();
                await page.GetByRole(AriaRole.Link, new() { Name = "Jatka" }).ClickAsync();
            }
            else
            {
                await page.GetByLabel("Koodi").FillAsync(await AuthenticatorCodeAsync());
                await page.GetByRole(AriaRole.Button, new() { Name = "Jatka" }).ClickAsync();
            }
        }

        await ConsoleSignIn.BackAtConsoleAsync(page);
    }

    private static string? s_authenticatorKey;
    private static long s_lastCodeStep;

    /// <summary>
    /// The privacy officer's authenticator code now, from the key shown at enrolment. Never the same code twice: a second
    /// sign-in within the same 30 seconds waits for the next one.
    /// </summary>
    private static async Task<string> AuthenticatorCodeAsync()
    {
        var key = s_authenticatorKey ?? throw new InvalidOperationException("The privacy officer signed in before without enrolling here.");
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30 <= s_lastCodeStep)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var now = DateTimeOffset.UtcNow;
        s_lastCodeStep = now.ToUnixTimeSeconds() / 30;
        return Totp.Code(key, now);
    }

    /// <summary>
    /// A Fluent UI button by its text. Its role lives in the web component's internals, which Playwright's role queries
    /// do not read, so it is found as the element it is.
    /// </summary>
    private static ILocator FluentButton(IPage page, string text) => page.Locator("fluent-button", new() { HasText = text }).First;

    /// <summary>
    /// A browser signed in as the user of <paramref name="role"/>, on the console's page at <paramref name="path"/>. The
    /// class's first test of a role signs in at the login page; later ones start from the cookies that sign-in left,
    /// as a person opening a new window does, and sign in again if that session has ended (a test signed out). The
    /// privacy officer's authenticator code is single-use per 30 seconds, so each sign-in of that role could wait that long.
    /// </summary>
    private async Task<ConsoleBrowser> SignedInAsync(string role, string path)
    {
        var target = new Uri(Gateway, path).AbsoluteUri;
        if (chromium.SignedIn.TryGetValue(role, out var cookies))
        {
            var again = await BrowserAsync(cookies);
            await again.Page.GotoAsync(target);
            if (await ConsoleSignIn.StillSignedInAsync(again.Page))
            {
                return again;
            }

            await again.DisposeAsync();
        }

        var browser = await BrowserAsync();
        await SignInAsync(browser.Page, role);
        chromium.SignedIn[role] = await browser.Context.StorageStateAsync();
        if (path != "/")
        {
            await browser.Page.GotoAsync(target);
        }

        return browser;
    }

    private static DateOnly FinnishToday() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, s_finland).DateTime);

    private async Task<ConsoleBrowser> BrowserAsync(string? storageState = null)
    {
        var context = await chromium.Browser.NewContextAsync(new()
        {
            Locale = "fi-FI",
            ViewportSize = new() { Width = 1280, Height = 900 },
            StorageState = storageState,
        });
        var page = await context.NewPageAsync();
        var browser = new ConsoleBrowser(context, page);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                browser.Blocked.Add(message.Text);
            }
        };
        return browser;
    }

    private static async Task Visible(ILocator locator, TimeSpan? timeout = null) =>
        await locator.First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = (float)(timeout ?? TimeSpan.FromSeconds(20)).TotalMilliseconds });

    private static async Task AssertAccessibleAsync(IPage page, string name)
    {
        var violations = await Pages.AccessibilityViolationsAsync(page, s_screenshots, name, seriousOnly: true);
        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    /// <summary>A test's own browser context (cookies, storage, cache) in the class's chromium, and its page.</summary>
    private sealed record ConsoleBrowser(IBrowserContext Context, IPage Page) : IAsyncDisposable
    {
        /// <summary>What the page's Content-Security-Policy refused: nothing, if the console's pages fit their own policy.</summary>
        public List<string> Blocked { get; } = [];

        public async ValueTask DisposeAsync() => await Context.CloseAsync();
    }
}
