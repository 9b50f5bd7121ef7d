using System.Text.Json;
using Microsoft.Playwright;
using Procexon.Testing;

namespace Procexon.Bench;

/// <summary>One page load: the client's wall clock and the browser's own marks, all in ms from the navigation's start.</summary>
internal sealed record PageTiming(double Client, double FirstByte, double DomContentLoaded, double Circuit, double Done);

/// <summary>
/// A sign-in's steps through the login page: each page the browser was sent through after pressing the button (method and path, its
/// time to first byte on the browser's clock: the server's work and the hop through the gateway), and what came after
/// the last of them (the scripts, the circuit, the inbox's calls), with the inbox's load (its navigation starts at the
/// form's submission) and the files it fetched.
/// </summary>
internal sealed record ColdSignIn(
    double ToLogin, double SignInToInbox, IReadOnlyList<(string Hop, double FirstByte)> Hops, double AfterLastPage,
    PageTiming Browser, IReadOnlyList<(string Resource, double Duration, double Size)> Resources);

/// <summary>
/// The staff console in Debian's chromium (launched as the browser tests launch it, never a downloaded browser), signed
/// in at the platform's login page like a person. A page counts as loaded when what it is for is on it: the inbox's rows,
/// a request's timeline. Both pages render only in the live circuit (interactive server, no prerendering), so that
/// element proves the circuit is up and has answered: the page is interactive.
/// </summary>
internal sealed class ConsolePages : IAsyncDisposable
{
    public const string InboxRows = "table.requests tbody tr";
    public const string RequestTimeline = "#timeline li";

    /// <summary>
    /// Runs in every document before its own scripts: stamps (performance.now, from the navigation's start) the moment the
    /// circuit's first render reaches the page (main's first element: the layout is static, the page inside it is not)
    /// and the moment the inbox's rows or a request's timeline arrive. A MutationObserver sees the DOM change itself,
    /// without the delay of polling from the bench.
    /// </summary>
    private const string MarksScript = """
        (() => {
          const marks = {};
          Object.defineProperty(window, '__benchMarks', { value: marks });
          const wanted = [['circuit', 'main > *'], ['done', 'table.requests tbody tr, #timeline li']];
          const look = () => {
            for (const [name, selector] of wanted) {
              if (!(name in marks) && document.querySelector(selector)) marks[name] = performance.now();
            }
          };
          new MutationObserver(look).observe(document, { childList: true, subtree: true });
        })();
        """;

    private const string ReadMarks = """
        () => {
          const n = performance.getEntriesByType('navigation')[0];
          const m = window.__benchMarks || {};
          return { firstByte: n ? n.responseStart : -1, domContentLoaded: n ? n.domContentLoadedEventEnd : -1,
                   circuit: m.circuit ?? -1, done: m.done ?? -1 };
        }
        """;

    /// <summary>
    /// The page's scripts and styles as the browser fetched them: duration (request to last byte) and bytes on the wire,
    /// the fingerprint left out of the name.
    /// </summary>
    private const string ReadFiles = """
        () => performance.getEntriesByType('resource')
          .filter(r => r.initiatorType === 'script' || r.initiatorType === 'link' || r.initiatorType === 'other')
          .map(r => ({ name: r.name.replace(/^.*\//, '').replace(/\.[a-z0-9]{8,}\./, '.'), duration: r.duration, size: r.transferSize }))
        """;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly Uri _gateway;
    private readonly string _user;
    private readonly string _password;
    private IPage? _returning;

    private ConsolePages(IPlaywright playwright, IBrowser browser, Uri gateway, string user, string password)
    {
        _playwright = playwright;
        _browser = browser;
        _gateway = gateway;
        _user = user;
        _password = password;
    }

    public static async Task<ConsolePages> LaunchAsync(Uri gateway, string user, string password)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            return new ConsolePages(playwright, await Pages.LaunchChromiumAsync(playwright), gateway, user, password);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh context: no cookie, empty cache, as a browser that has never been to the console.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(new() { Locale = "fi-FI", ViewportSize = new() { Width = 1280, Height = 900 } });
        await context.AddInitScriptAsync(MarksScript);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)s_timeout.TotalMilliseconds);
        return page;
    }

    /// <summary>
    /// The first visit of the day: a new context opens the console, is sent to the login page, signs in and lands on the
    /// inbox. Answers the client's time to the login page and from pressing the button to the inbox's rows (the typing
    /// between is the person's, not the platform's).
    /// </summary>
    public async Task<ColdSignIn> ColdAsync()
    {
        var page = await NewPageAsync();
        try
        {
            return await SignInThroughLoginAsync(page);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// The first visit of a working day: the browser has been to the console before (its cache holds the scripts and
    /// their compiled code) but the session is over (no cookie). One context for every sample, its cookies cleared
    /// before each; the first call only visits, to fill the cache.
    /// </summary>
    public async Task<ColdSignIn> ReturningAsync()
    {
        if (_returning is null)
        {
            _returning = await NewPageAsync();
            await SignInThroughLoginAsync(_returning);
        }

        await _returning.Context.ClearCookiesAsync();
        await _returning.GotoAsync("about:blank");
        return await SignInThroughLoginAsync(_returning);
    }

    private async Task<ColdSignIn> SignInThroughLoginAsync(IPage page)
    {
        var start = Clock.Now;
        await page.GotoAsync(new Uri(_gateway, "/").AbsoluteUri, new() { WaitUntil = WaitUntilState.Commit });
        await page.GetByLabel("Käyttäjätunnus").WaitForAsync();
        var toLogin = Clock.Ms(start, Clock.Now);
        await page.GetByLabel("Käyttäjätunnus").FillAsync(_user);
        await page.GetByLabel("Salasana").FillAsync(_password);

        // Every page of the main frame after the button, redirects included, in the order the browser met them.
        // Each with when the bench saw it finish, on the bench's own clock.
        var pages = new List<(IRequest Request, long FinishedAt)>();
        void Finished(object? sender, IRequest request)
        {
            if (request.IsNavigationRequest && request.Frame == page.MainFrame)
            {
                lock (pages)
                {
                    pages.Add((request, Clock.Now));
                }
            }
        }

        page.RequestFinished += Finished;
        var errors = new List<string>();
        void Logged(object? sender, IConsoleMessage message)
        {
            if (message.Type is "error" or "warning")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        }

        page.Console += Logged;
        start = Clock.Now;
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirjaudu", Exact = true }).ClickAsync();
        try
        {
            await page.Locator(InboxRows).First.WaitForAsync();
        }
        catch (TimeoutException ex)
        {
            lock (errors)
            {
                throw new BenchException($"No inbox rows at {page.Url} after signing in; the browser said: {string.Join(" | ", errors)}", ex);
            }
        }

        page.Console -= Logged;
        var signInToInbox = Clock.Ms(start, Clock.Now);
        page.RequestFinished -= Finished;

        List<(IRequest Request, long FinishedAt)> hops;
        lock (pages)
        {
            hops = [.. pages.OrderBy(r => r.FinishedAt)];
        }

        var lastPageEnd = hops.Count == 0 ? start : hops[^1].FinishedAt;
        var files = await page.EvaluateAsync<JsonElement>(ReadFiles);
        return new ColdSignIn(toLogin, signInToInbox,
            [.. hops.Select(h => ($"{h.Request.Method} {new Uri(h.Request.Url).AbsolutePath}", (double)(h.Request.Timing.ResponseStart - h.Request.Timing.RequestStart)))],
            signInToInbox - Clock.Ms(start, lastPageEnd),
            await TimingAsync(page, signInToInbox),
            [.. files.EnumerateArray().Select(r =>
                (r.GetProperty("name").GetString() ?? "", r.GetProperty("duration").GetDouble(), r.GetProperty("size").GetDouble()))]);
    }

    /// <summary>A signed-in page (session cookie present, scripts cached): signs in once.</summary>
    public async Task<IPage> SignedInAsync()
    {
        var page = await NewPageAsync();
        await SignInThroughLoginAsync(page);
        return page;
    }

    /// <summary>
    /// Navigates the signed-in page to <paramref name="path"/> and waits for <paramref name="done"/>. Starts from a blank
    /// page so that closing the previous page's circuit is not counted in this one.
    /// </summary>
    public static async Task<PageTiming> LoadAsync(IPage page, Uri gateway, string path, string done)
    {
        await page.GotoAsync("about:blank");
        var start = Clock.Now;
        await page.GotoAsync(new Uri(gateway, path).AbsoluteUri, new() { WaitUntil = WaitUntilState.Commit });
        if (!page.Url.EndsWith(path, StringComparison.Ordinal))
        {
            throw new BenchException($"{path} led to {page.Url}: the session did not hold.");
        }

        await page.Locator(done).First.WaitForAsync();
        return await TimingAsync(page, Clock.Ms(start, Clock.Now));
    }

    /// <summary>The browser's marks of the page's load, in ms from its navigation's start, with the client's time.</summary>
    private static async Task<PageTiming> TimingAsync(IPage page, double client)
    {
        var marks = await page.EvaluateAsync<JsonElement>(ReadMarks);
        return new PageTiming(client, marks.GetProperty("firstByte").GetDouble(), marks.GetProperty("domContentLoaded").GetDouble(),
            marks.GetProperty("circuit").GetDouble(), marks.GetProperty("done").GetDouble());
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
