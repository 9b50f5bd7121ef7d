using System.Net.Http.Headers;
using System.Text.Json;

namespace Procexon.Bench;

/// <summary>
/// Access tokens of the AppHost's development clients (<c>dev-&lt;role&gt;</c>), asked for at the gateway's token
/// endpoint and renewed at half their life: the bench calls the platform as its staff would, with the role each call
/// needs — requests as the privacy officer, subjects, records and disclosures as the register admin.
/// </summary>
internal sealed class PlatformTokens(Uri gateway, Func<string, Task<string>> secretOf) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private readonly Dictionary<string, (string Token, DateTimeOffset RenewAt)> _tokens = [];

    public async Task<string> TokenAsync(string role)
    {
        await _renewing.WaitAsync();
        try
        {
            if (_tokens.TryGetValue(role, out var current) && DateTimeOffset.UtcNow < current.RenewAt)
            {
                return current.Token;
            }

            using var response = await _http.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = $"dev-{role}",
                ["client_secret"] = await secretOf(role),
                ["scope"] = "api",
            }));
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"No token for dev-{role}: {(int)response.StatusCode} {body}");
            }

            using var token = JsonDocument.Parse(body);
            var lifetime = TimeSpan.FromSeconds(token.RootElement.GetProperty("expires_in").GetInt32());
            _tokens[role] = (token.RootElement.GetProperty("access_token").GetString()!, DateTimeOffset.UtcNow + (lifetime / 2));
            return _tokens[role].Token;
        }
        finally
        {
            _renewing.Release();
        }
    }

    /// <summary>The role a call of the bench needs.</summary>
    public Task<string> ForPathAsync(string path) =>
        TokenAsync(path.StartsWith("/api/requests", StringComparison.Ordinal) ? "privacy-officer" : "register-admin");

    /// <summary>A handler that puts the right token on each request.</summary>
    public DelegatingHandler Handler(HttpMessageHandler inner) => new Bearer(this) { InnerHandler = inner };

    public void Dispose()
    {
        _http.Dispose();
        _renewing.Dispose();
    }

    private sealed class Bearer(PlatformTokens tokens) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.ForPathAsync(request.RequestUri!.AbsolutePath));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
