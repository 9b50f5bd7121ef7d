using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Procexon.Bench;

/// <summary>
/// The demo data the console is measured among: N written requests entered through the gateway as staff enter letters
/// (<c>POST /api/requests</c> with <c>receivedOn</c>), of every type, received over the past year so that some are
/// overdue, some due soon and most not. There is no bulk path for requests (the registry's demo-data endpoint loads
/// subjects only), so they are posted with C calls in flight.
/// </summary>
internal static class ConsoleSeed
{
    private static readonly string[] s_types = ["access", "rectification", "erasure", "restriction", "portability", "objection"];

    public static async Task<List<Guid>> RunAsync(GatewayClient gateway, int requests, int concurrency, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        // The Finnish day, as the API judges receivedOn: never in the future, at most a year ago.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki")).DateTime);
        var ids = new ConcurrentBag<Guid>();
        var latencies = new ConcurrentBag<double>();
        var next = -1;
        var started = Clock.Now;
        var progress = Clock.Now;
        Console.WriteLine($"Entering {requests} written requests through the gateway with {concurrency} calls in flight…");
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var type = s_types[i % s_types.Length];
                var start = Clock.Now;
                using var created = await gateway.PostAsync("/api/requests", new
                {
                    type,
                    subject = new { name = $"Testi Henkilö {i}", email = $"console-{run}-{i}@example.fi" },
                    channel = "letter",
                    receivedOn = today.AddDays(-(i % 365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                }, HttpStatusCode.Created, cancellationToken);
                latencies.Add(Clock.Ms(start, Clock.Now));
                ids.Add(created.RootElement.GetProperty("id").GetGuid());
                if (Clock.Ms(Interlocked.Read(ref progress), Clock.Now) > 10_000)
                {
                    Interlocked.Exchange(ref progress, Clock.Now);
                    Console.WriteLine($"  {ids.Count} requests entered after {Clock.F(Clock.Ms(started, Clock.Now) / 1000)} s");
                }
            }
        }));
        var seconds = Clock.Ms(started, Clock.Now) / 1000;
        new Table("a. Demo data (through the gateway; latency in ms)", "call", "n", "p50", "p95", "p99", "max")
            .Row("POST /api/requests (written, receivedOn)", new Percentiles(latencies))
            .Print();
        Console.WriteLine($"{ids.Count} requests entered in {Clock.F(seconds)} s = {Clock.F(ids.Count / seconds)} requests/s ({gateway.Retries} retries after 429/503)");
        return [.. ids];
    }
}
