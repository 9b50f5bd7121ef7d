using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Procexon.Bench;

/// <summary>The gateway's public API as the bench uses it. 429 and 503 are retried a few times after a pause.</summary>
internal sealed class GatewayClient : IDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;

    public GatewayClient(Uri baseAddress, PlatformTokens tokens)
    {
        _http = new HttpClient(tokens.Handler(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = 256,
            UseProxy = false,
        }))
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public long Retries;

    /// <summary>POSTs a JSON body and answers the response's JSON (or throws naming the call and the status).</summary>
    public async Task<JsonDocument> PostAsync(string path, object body, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await _http.PostAsJsonAsync(path, body, s_json, cancellationToken);
            if (await ShouldRetryAsync(response, attempt, cancellationToken))
            {
                continue;
            }

            return await ReadAsync(response, "POST", path, expected, cancellationToken);
        }
    }

    public async Task<JsonDocument> GetAsync(string path, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            if (await ShouldRetryAsync(response, attempt, cancellationToken))
            {
                continue;
            }

            return await ReadAsync(response, "GET", path, HttpStatusCode.OK, cancellationToken);
        }
    }

    /// <summary>A GET whose body is read and dropped: for latency baselines.</summary>
    public async Task GetAndDiscardAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        _ = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"GET {path} answered {(int)response.StatusCode}.");
        }
    }

    private async Task<bool> ShouldRetryAsync(HttpResponseMessage response, int attempt, CancellationToken cancellationToken)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || attempt >= 6)
        {
            return false;
        }

        Interlocked.Increment(ref Retries);
        await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
        return true;
    }

    private static async Task<JsonDocument> ReadAsync(
        HttpResponseMessage response, string method, string path, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != expected)
        {
            throw new BenchException($"{method} {path} answered {(int)response.StatusCode}, expected {(int)expected}: {Shorten(body)}");
        }

        return JsonDocument.Parse(body);
    }

    private static string Shorten(string body) => body.Length > 400 ? body[..400] + "…" : body;

    public void Dispose() => _http.Dispose();
}

internal sealed class BenchException(string message, Exception? inner = null) : Exception(message, inner);
