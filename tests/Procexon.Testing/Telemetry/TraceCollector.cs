using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Procexon.Testing.Telemetry;

/// <summary>One span as a process exported it: what the tests ask of a trace.</summary>
public sealed record CollectedSpan(
    string Service,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    Span.Types.SpanKind Kind,
    string Scope,
    IReadOnlyDictionary<string, string> Attributes,
    ulong StartUnixNano,
    ulong EndUnixNano)
{
    /// <summary>
    /// A command sent to PostgreSQL (Npgsql's client span): one round trip. Opening a physical connection is traced
    /// too, but depends on the pool's state, not on the flow, so it is not counted.
    /// </summary>
    public bool IsDatabaseRoundTrip => Scope == "Npgsql" && Kind == Span.Types.SpanKind.Client && !Name.StartsWith("CONNECT", StringComparison.Ordinal);

    /// <summary>
    /// A message taken from a queue (MassTransit's <c>receive</c> span): one broker delivery. Its consumers' own
    /// <c>process</c> spans, children of it, are not counted again.
    /// </summary>
    public bool IsDelivery => Scope == "MassTransit" && Kind == Span.Types.SpanKind.Consumer && Attribute("messaging.operation") == "receive";

    /// <summary>
    /// One transaction of a consumer of the platform's (the inbox consumers' <c>commit …</c> span): a batch consumer
    /// commits several messages' deliveries in one, a delivery that another's transaction committed has none.
    /// </summary>
    public bool IsHandling => Scope == "Procexon.Messaging" && Name.StartsWith("commit ", StringComparison.Ordinal);

    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;
}

/// <summary>
/// An OTLP/HTTP receiver of the tests' own, in the place of the dashboard: the platform's processes export their spans
/// to it (<see cref="ExporterSettings"/>), and a test reads one flow's trace back whole, across every process, to count
/// what the flow cost (round trips, deliveries) or to prove that it is one trace. Logs and metrics are taken and dropped.
/// </summary>
public sealed class TraceCollector : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<CollectedSpan>> _traces = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private TraceCollector(WebApplication app) => _app = app;

    /// <summary>Where the processes send their telemetry: <c>http://127.0.0.1:port</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>
    /// The environment that points a process's OpenTelemetry SDK here: OTLP over HTTP with protobuf, and batches sent
    /// every 200 ms so that a test does not wait the default 5 s for a flow's last spans.
    /// </summary>
    public IReadOnlyDictionary<string, string> ExporterSettings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
    };

    public static async Task<TraceCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new TraceCollector(app);
        app.MapPost("/v1/traces", collector.ReceiveTracesAsync);
        app.MapPost("/v1/logs", () => Results.Bytes([], "application/x-protobuf"));
        app.MapPost("/v1/metrics", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        collector.Endpoint = new Uri(app.Urls.Single());
        return collector;
    }

    /// <summary>Every span of <paramref name="traceId"/> received so far (32 lower-case hex digits).</summary>
    public IReadOnlyList<CollectedSpan> Trace(string traceId) =>
        _traces.TryGetValue(traceId, out var spans) ? [.. spans] : [];

    /// <summary>
    /// The trace once its processes have stopped sending spans of it: no new span for <paramref name="quiet"/> (each
    /// process sends its batch every 200 ms, so a second of silence means the flow's work has been exported).
    /// </summary>
    public async Task<IReadOnlyList<CollectedSpan>> SettledTraceAsync(string traceId, TimeSpan quiet, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var count = -1;
        while (true)
        {
            var now = Trace(traceId).Count;
            if (now == count && now > 0)
            {
                return Trace(traceId);
            }

            count = now;
            try
            {
                await Task.Delay(quiet, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Trace {traceId} still received spans (or none) after {timeout}: {now} so far.");
            }
        }
    }

    private async Task<IResult> ReceiveTracesAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var export = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
        foreach (var resourceSpans in export.ResourceSpans)
        {
            var service = resourceSpans.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value.StringValue ?? "";
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope?.Name ?? "";
                foreach (var span in scopeSpans.Spans)
                {
                    var collected = new CollectedSpan(
                        service,
                        Hex(span.TraceId),
                        Hex(span.SpanId),
                        Hex(span.ParentSpanId),
                        span.Name,
                        span.Kind,
                        scope,
                        span.Attributes.ToDictionary(a => a.Key, a => Text(a.Value), StringComparer.Ordinal),
                        span.StartTimeUnixNano,
                        span.EndTimeUnixNano);
                    _traces.GetOrAdd(collected.TraceId, _ => new ConcurrentQueue<CollectedSpan>()).Enqueue(collected);
                }
            }
        }

        return Results.Bytes(new ExportTraceServiceResponse().ToByteArray(), "application/x-protobuf");
    }

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static string Text(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
