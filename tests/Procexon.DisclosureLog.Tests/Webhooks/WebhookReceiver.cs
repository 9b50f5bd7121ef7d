using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Procexon.DisclosureLog.Tests.Webhooks;

/// <summary>
/// A recipient's webhook endpoint on a real Kestrel at a fixed loopback port, which a test can take down (connection
/// refused) and bring up again, or have answer an error. It records every request and whether its signature verified,
/// both with the StandardWebhooks package and by computing the HMAC by hand from the specification.
/// </summary>
public sealed class WebhookReceiver(string secret) : IAsyncDisposable
{
    private WebApplication? _app;

    public int Port { get; } = Testing.FreePort.Next();

    public Uri Url => new($"http://127.0.0.1:{Port}/webhooks");

    public string Secret { get; } = secret;

    /// <summary>What the endpoint answers; 200 unless a test says otherwise.</summary>
    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        _app.MapPost("/webhooks", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Received.Enqueue(new ReceivedWebhook(
                request.Headers["webhook-id"].ToString(),
                request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(),
                request.ContentType ?? "",
                body,
                VerifiesWithPackage(body, request.Headers),
                VerifiesByHand(body, request.Headers),
                request.Headers["traceparent"].ToString()));
            return Results.StatusCode(StatusCode);
        });
        await _app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private bool VerifiesWithPackage(string body, IHeaderDictionary headers)
    {
        try
        {
            new StandardWebhook(Secret).Verify(body, headers);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>The Standard Webhooks v1 scheme: base64 HMAC-SHA256 of <c>id.timestamp.body</c> under the decoded secret.</summary>
    private bool VerifiesByHand(string body, IHeaderDictionary headers)
    {
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        var signed = $"{headers["webhook-id"]}.{headers["webhook-timestamp"]}.{body}";
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)));
        return headers["webhook-signature"].ToString().Split(' ').Contains(expected);
    }
}

public sealed record ReceivedWebhook(
    string Id, string Timestamp, string Signature, string ContentType, string Body, bool VerifiedByPackage, bool VerifiedByHand, string TraceParent);
