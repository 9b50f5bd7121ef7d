using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;
using Procexon.Testing;

namespace Procexon.Identity.Tests;

/// <summary>
/// A user agent with its own cookies that follows the provider's redirects by hand and stops at the client's redirect
/// URI, reading forms as a browser would (hidden fields, antiforgery token).
/// </summary>
public sealed partial class Browser(IdentityProvider provider) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
    {
        BaseAddress = provider.Issuer,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public string CodeVerifier { get; } = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public string CodeChallenge => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(CodeVerifier)));

    public Uri AuthorizeUri(bool pkce = true) => new(provider.Issuer,
        "connect/authorize?client_id=" + IdentityProvider.BrowserClientId
        + "&redirect_uri=" + Uri.EscapeDataString(IdentityProvider.BrowserRedirectUri.AbsoluteUri)
        + "&response_type=code&state=some-state"
        + "&scope=" + Uri.EscapeDataString("openid profile roles offline_access api")
        + (pkce ? $"&code_challenge={CodeChallenge}&code_challenge_method=S256" : ""));

    /// <summary>The page reached after the provider's own redirects, or the client's redirect URI when it gets there.</summary>
    public sealed record Stop(Uri Location, HttpStatusCode Status, string Html)
    {
        public bool AtClient => Location.AbsoluteUri.StartsWith(IdentityProvider.BrowserRedirectUri.AbsoluteUri, StringComparison.Ordinal);

        public string? Query(string name) =>
            Location.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2))
                .Where(p => p[0] == name).Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault();
    }

    public async Task<Stop> GetAsync(Uri uri) => await FollowAsync(await _http.GetAsync(uri), uri);

    /// <summary>Submits the page's only form with the given fields over its hidden ones.</summary>
    public async Task<Stop> SubmitAsync(Stop page, IReadOnlyDictionary<string, string> fields)
    {
        var action = FormAction().Match(page.Html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("No form: " + page.Html);
        var values = HiddenInput().Matches(page.Html).ToDictionary(h => WebUtility.HtmlDecode(h.Groups[1].Value), h => WebUtility.HtmlDecode(h.Groups[2].Value));
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        var target = new Uri(provider.Issuer, action);
        using var form = new FormUrlEncodedContent(values);
        return await FollowAsync(await _http.PostAsync(target, form), target);
    }

    public async Task<Stop> SignInAsync(Stop loginPage, string userName, string password) =>
        await SubmitAsync(loginPage, new Dictionary<string, string> { ["UserName"] = userName, ["Password"] = password });

    public async Task<JsonElement> ExchangeAsync(IReadOnlyDictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await _http.PostAsync(new Uri("connect/token", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();

    private async Task<Stop> FollowAsync(HttpResponseMessage response, Uri requested)
    {
        var current = requested;
        for (var hops = 0; hops < 10; hops++)
        {
            using (response)
            {
                if (response.Headers.Location is not { } location)
                {
                    return new Stop(current, response.StatusCode, await response.Content.ReadAsStringAsync());
                }

                current = location.IsAbsoluteUri ? location : new Uri(provider.Issuer, location);
                if (!current.AbsoluteUri.StartsWith(provider.Issuer.AbsoluteUri, StringComparison.Ordinal))
                {
                    return new Stop(current, response.StatusCode, "");
                }
            }

            response = await _http.GetAsync(current);
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();
}
