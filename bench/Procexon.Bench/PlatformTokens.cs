using System.Net.Http.Headers;
using Procexon.Testing;

namespace Procexon.Bench;

/// <summary>
/// Access tokens of the AppHost's development clients (<c>dev-&lt;role&gt;</c>), asked for at the gateway's token
/// endpoint (<see cref="ClientCredentials"/>): the bench calls the platform as its staff would, with the role each call
/// needs — requests as the privacy officer, subjects, records and disclosures as the register admin.
/// </summary>
internal sealed class PlatformTokens(Uri gateway, Func<string, Task<string>> secretOf) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
    private readonly SemaphoreSlim _creating = new(1, 1);
    private readonly Dictionary<string, ClientCredentials> _clients = [];

    public async Task<string> TokenAsync(string role)
    {
        ClientCredentials? client;
        await _creating.WaitAsync();
        try
        {
            if (!_clients.TryGetValue(role, out client))
            {
                client = new ClientCredentials(_http, $"dev-{role}", await secretOf(role));
                _clients[role] = client;
            }
        }
        finally
        {
            _creating.Release();
        }

        return await client.TokenAsync();
    }

    /// <summary>The role a call of the bench needs.</summary>
    public Task<string> ForPathAsync(string path) =>
        TokenAsync(path.StartsWith("/api/requests", StringComparison.Ordinal) ? "privacy-officer" : "register-admin");

    /// <summary>A handler that puts the right token on each request.</summary>
    public DelegatingHandler Handler(HttpMessageHandler inner) => new Bearer(this) { InnerHandler = inner };

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _http.Dispose();
        _creating.Dispose();
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
