using System.Net.Http.Headers;

namespace Procexon.Testing;

/// <summary>
/// Puts a bearer token on every request, asked for per request so that a client outlives the ten-minute tokens (the
/// token source caches them until shortly before they expire).
/// </summary>
public sealed class BearerTokens(Func<Task<string>> token) : DelegatingHandler(new HttpClientHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token());
        return await base.SendAsync(request, cancellationToken);
    }
}
