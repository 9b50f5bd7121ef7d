using System.Text.Json;

namespace Procexon.Testing;

/// <summary>
/// One client's client-credentials access token, asked for at the token endpoint under <paramref name="provider"/>'s
/// base address (the provider itself, or the gateway in front of it) and reused until shortly before it expires:
/// tokens live ten minutes, a test run or a benchmark longer.
/// </summary>
public sealed class ClientCredentials(HttpClient provider, string clientId, string secret) : IDisposable
{
    private static readonly TimeSpan s_renewBefore = TimeSpan.FromMinutes(2);
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _current;

    public async Task<string> TokenAsync()
    {
        await _renewing.WaitAsync();
        try
        {
            if (_current is { } current && DateTimeOffset.UtcNow < current.RenewAt)
            {
                return current.Token;
            }

            using var response = await RequestAsync(provider, clientId, secret);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The token endpoint refused {clientId}: {(int)response.StatusCode} {body}");
            }

            using var token = JsonDocument.Parse(body);
            var lifetime = TimeSpan.FromSeconds(token.RootElement.GetProperty("expires_in").GetInt32());
            _current = (token.RootElement.GetProperty("access_token").GetString()!, DateTimeOffset.UtcNow + lifetime - s_renewBefore);
            return _current.Value.Token;
        }
        finally
        {
            _renewing.Release();
        }
    }

    /// <summary>Asks the token endpoint once, uncached: for tests of the endpoint's own answers.</summary>
    public static async Task<HttpResponseMessage> RequestAsync(HttpClient provider, string clientId, string secret, CancellationToken ct = default)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "api",
        });
        return await provider.PostAsync(new Uri("connect/token", UriKind.Relative), form, ct);
    }

    public void Dispose() => _renewing.Dispose();
}
