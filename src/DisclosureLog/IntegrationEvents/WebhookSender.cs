using System.Globalization;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;
using StandardWebhooks;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Posts one signed CloudEvent to one recipient through that recipient's own resilience pipeline (a circuit breaker
/// around a timeout, Polly v8), so a recipient that fails or hangs is left alone for a while and holds up no other.
/// Retrying is not done here but by <see cref="WebhookDispatcher"/> from the database, so it survives a restart.
/// </summary>
public sealed class WebhookSender : IRecipientChannelSender, IDisposable
{
    private readonly WebhookOptions _options;
    private readonly TimeProvider _clock;
    private readonly ResiliencePipelineRegistry<string> _pipelines = new();
    private readonly Dictionary<string, CircuitBreakerStateProvider> _states = new(StringComparer.Ordinal);
    private int _disposed;

    // Not from IHttpClientFactory: the service defaults give those clients the standard retry handler, and a retry
    // here would hold the delivery's row lock and hide attempts from the log. Pooled connections are renewed so a
    // recipient's DNS change is seen.
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
    }

    /// <summary>Whether the recipient's circuit is open (its attempts are refused without a request) right now.</summary>
    public bool IsCircuitOpen(string recipient)
    {
        lock (_states)
        {
            return _states.TryGetValue(recipient, out var state) && state.CircuitState is CircuitState.Open or CircuitState.Isolated;
        }
    }

    public string Channel => RecipientChannels.Webhook;

    public Task<WebhookSendResult> SendAsync(WebhookDelivery delivery, Recipient recipient, CancellationToken cancellationToken) =>
        recipient is { Channel: RecipientChannels.Webhook, WebhookUrl: { } url, WebhookSecret: not null } && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? SendAsync(recipient, uri, delivery, cancellationToken)
            // The recipient moved to another channel, or lost its URL: nothing can be sent until it has one again.
            : Task.FromResult(new WebhookSendResult(false, null, "The recipient has no webhook URL and secret.", 0, CircuitOpen: false));

    private async Task<WebhookSendResult> SendAsync(Recipient recipient, Uri url, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var pipeline = PipelineOf(recipient.Slug);
        var started = _clock.GetTimestamp();
        try
        {
            using var response = await pipeline.ExecuteAsync(async ct =>
            {
                var timestamp = _clock.GetUtcNow();
                using var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new StringContent(delivery.Body, System.Text.Encoding.UTF8, "application/cloudevents+json"),
                };
                request.Headers.Add("webhook-id", delivery.Id.ToString());
                request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                // During a rotation's overlap the previous secret signs too, so a receiver still on it verifies.
                request.Headers.Add("webhook-signature", Sign(recipient.SigningSecretsAt(timestamp), delivery.Id.ToString(), timestamp, delivery.Body));
                return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            }, cancellationToken);
            var status = (int)response.StatusCode;
            return new WebhookSendResult(response.IsSuccessStatusCode, status,
                response.IsSuccessStatusCode ? null : $"The recipient answered {status} {response.ReasonPhrase}.", Elapsed(started), CircuitOpen: false);
        }
        catch (BrokenCircuitException)
        {
            return new WebhookSendResult(false, null, "The recipient's circuit is open.", Elapsed(started), CircuitOpen: true);
        }
        catch (TimeoutRejectedException)
        {
            return new WebhookSendResult(false, null, $"No answer within {_options.Timeout.TotalSeconds:0.#} s.", Elapsed(started), CircuitOpen: false);
        }
        catch (HttpRequestException ex)
        {
            return new WebhookSendResult(false, (int?)ex.StatusCode, ex.HttpRequestError.ToString(), Elapsed(started), CircuitOpen: false);
        }
    }

    /// <summary>The <c>webhook-signature</c> value: <c>v1,</c> and the base64 HMAC-SHA256 of <c>id.timestamp.body</c> under the secret.</summary>
    public static string Sign(string secret, string id, DateTimeOffset timestamp, string body) =>
        new StandardWebhook(secret).Sign(id, timestamp, body);

    /// <summary>One signature per secret, space-separated as Standard Webhooks allows: a receiver accepts any one it verifies.</summary>
    public static string Sign(IEnumerable<string> secrets, string id, DateTimeOffset timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => Sign(secret, id, timestamp, body)));

    private ResiliencePipeline<HttpResponseMessage> PipelineOf(string recipient) =>
        _pipelines.GetOrAddPipeline<HttpResponseMessage>(recipient, builder =>
        {
            var state = new CircuitBreakerStateProvider();
            lock (_states)
            {
                _states[recipient] = state;
            }

            builder.TimeProvider = _clock;
            builder
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
                {
                    // Any answer but 2xx counts: a recipient refusing every signature is as unreachable as one that is down.
                    ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                        .Handle<HttpRequestException>()
                        .Handle<TimeoutRejectedException>()
                        .HandleResult(r => !r.IsSuccessStatusCode),
                    FailureRatio = _options.CircuitFailureRatio,
                    MinimumThroughput = _options.CircuitMinimumThroughput,
                    SamplingDuration = _options.CircuitSamplingDuration,
                    BreakDuration = _options.CircuitBreakDuration,
                    StateProvider = state,
                })
                .AddTimeout(_options.Timeout);
        });

    private int Elapsed(long started) => (int)_clock.GetElapsedTime(started).TotalMilliseconds;

    // Registered as itself and as an IRecipientChannelSender, so the container may dispose it twice.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _http.Dispose();
        _pipelines.Dispose();
    }
}

/// <summary>
/// Sends one delivery over one channel for <see cref="WebhookDispatcher"/>, which keeps the rows, the retries, the
/// give-up and the attempt log the same for every channel.
/// </summary>
public interface IRecipientChannelSender
{
    /// <summary>The <see cref="WebhookDelivery.Channel"/> this sender delivers.</summary>
    string Channel { get; }

    /// <summary>One attempt; a recipient that no longer has what the channel needs fails the attempt.</summary>
    Task<WebhookSendResult> SendAsync(WebhookDelivery delivery, Recipient recipient, CancellationToken cancellationToken);
}

/// <summary>What one attempt came to; <see cref="CircuitOpen"/> means no request was made.</summary>
public sealed record WebhookSendResult(bool Succeeded, int? StatusCode, string? Error, int DurationMs, bool CircuitOpen);
