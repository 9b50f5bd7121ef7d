using Microsoft.Playwright;
using Procexon.Testing;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// One chromium for a test class. Each test opens a context of its own, with its own cookies, storage and cache as a
/// browser started for it had, so the tests stay apart without each paying a browser's start (2–3 s on two cores).
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    /// <summary>The cookies and storage a test's sign-in left, by role (<see cref="IBrowserContext.StorageStateAsync"/>), for the class's later tests.</summary>
    public Dictionary<string, string> SignedIn { get; } = [];

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await Pages.LaunchChromiumAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
