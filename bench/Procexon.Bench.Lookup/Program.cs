using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Npgsql;
using Procexon.Registry.DemoData;

namespace Procexon.Bench;

/// <summary>
/// Subject lookup at scale (bench/lookup.sh): a. bulk-load N demo subjects (≈6 records each) through the registry's
/// demo-data endpoint; b. baselines (PostgreSQL SELECT 1, a one-row GET through the registry and the gateway);
/// c. lookups one at a time by e-mail, phone, identity code and customer number (latency); d. lookups from C clients
/// at once (throughput). Prints every figure; the summary compares p99 with the target.
/// </summary>
internal static class Program
{
    private const double TargetP99Ms = 5;
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static async Task<int> Main(string[] args)
    {
        var subjects = BenchArguments.Int(args, "--subjects", 1_000_000);
        var lookups = BenchArguments.Int(args, "--lookups", 4000);
        var concurrency = BenchArguments.Int(args, "--concurrency", 16);
        var seconds = BenchArguments.Int(args, "--duration", 20);
        var chunk = BenchArguments.Int(args, "--chunk", 100_000);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        var ct = stop.Token;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Procexon subject-lookup benchmark: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; " +
            $"{subjects} subjects, {lookups} sequential lookups per path, {concurrency} clients for {seconds} s; load average {CpuSampler.LoadAverage()}"));
        var started = Clock.Now;
        await using var platform = await Platform.StartAsync(
            telemetry: false,
            // The gateway's ceiling on subject searches per caller would stop the bench long before the platform does.
            new Dictionary<string, string> { ["Gateway__SubjectSearchesPerMinute"] = "100000000" },
            ct);
        Console.WriteLine($"Platform started from the AppHost in {Clock.F(Clock.Ms(started, Clock.Now) / 1000)} s; gateway {platform.Gateway}, registry {platform.Registry}");
        using var registry = Client(platform.Registry!, platform.Tokens);
        using var gateway = Client(platform.Gateway, platform.Tokens);
        var registryDb = new NpgsqlConnectionStringBuilder(await platform.PostgresConnectionStringAsync(ct)) { Database = "registrydb" }.ConnectionString;

        // a. Bulk load
        var cpu = CpuSampler.Start();
        var loadStarted = Clock.Now;
        long loadedSubjects = 0, loadedRecords = 0;
        var loads = new List<(long First, int Count)>();
        for (var left = subjects; left > 0; left -= chunk)
        {
            var n = Math.Min(chunk, left);
            using var response = await registry.PostAsJsonAsync("/api/subjects/demo-data", new { subjects = n }, ct);
            response.EnsureSuccessStatusCode();
            loads.Add((await LastDemoSequenceAsync(registryDb, ct) - n + 1, n));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            loadedSubjects += body.RootElement.GetProperty("subjects").GetInt64();
            loadedRecords += body.RootElement.GetProperty("records").GetInt64();
            var elapsed = Clock.Ms(loadStarted, Clock.Now) / 1000;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  loaded {loadedSubjects:N0} subjects, {loadedRecords:N0} records in {elapsed:F0} s ({loadedSubjects / elapsed:F0} subjects/s, {loadedRecords / elapsed:F0} records/s)"));
        }

        var loadSeconds = Clock.Ms(loadStarted, Clock.Now) / 1000;
        cpu?.Print("a. Bulk load");
        var (subjectRows, recordRows) = await CountAsync(registryDb, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"a. Bulk load: {loadedSubjects:N0} subjects and {loadedRecords:N0} records in {loadSeconds:F1} s = {loadedSubjects / loadSeconds:F0} subjects/s, {loadedRecords / loadSeconds:F0} records/s " +
            $"(binary COPY in batches of 20 000, hashes and encryption included); the registry now holds {subjectRows:N0} subjects, {recordRows:N0} records"));

        // Identifiers to look up, sampled across the whole table.
        var keys = Sample(loads, Math.Max(lookups, 2000));
        Console.WriteLine($"Sampled {keys.Count} identifiers ({string.Join(", ", keys.GroupBy(k => k.Kind).Select(g => $"{g.Count()} {g.Key}"))}); settling…");
        await CpuSampler.SettleAsync(TimeSpan.FromSeconds(30), ct);

        // b. Baselines
        cpu = CpuSampler.Start();
        var select1 = await SelectOneAsync(registryDb, lookups, ct);
        var registryById = await SequentialAsync(lookups, _ => registry.GetAsync($"/api/subjects/{Guid.NewGuid()}", ct), HttpStatusCode.NotFound);
        var gatewayById = await SequentialAsync(lookups, _ => gateway.GetAsync($"/api/subjects/{Guid.NewGuid()}", ct), HttpStatusCode.NotFound);
        new Table("b. Baselines (same machine, same run; latency in ms)", "baseline", "n", "p50", "p95", "p99", "max")
            .Row("PostgreSQL SELECT 1 (registrydb)", select1)
            .Row("registry GET /api/subjects/{unknown id} (one primary-key probe, 404)", registryById.Latency)
            .Row("gateway GET /api/subjects/{unknown id}", gatewayById.Latency)
            .Print();

        // c. Sequential lookups
        var table = new Table($"c. Lookup by identifier, one at a time, {subjectRows:N0} subjects / {recordRows:N0} records (latency in ms)",
            "path", "n", "p50", "p95", "p99", "max", "found");
        var all = new List<double>();
        foreach (var kind in new[] { "email", "phone", "hetu", "customerNumber" })
        {
            var ofKind = keys.Where(k => k.Kind == kind).ToList();
            var result = await SequentialAsync(lookups / 4, i => Search(registry, ofKind[i % ofKind.Count], ct), HttpStatusCode.OK);
            all.AddRange(result.Samples);
            table.Row($"registry POST /api/subjects/search {{{kind}}}", result.Latency, Found(result));
        }

        var registryAll = new Percentiles(all);
        table.Row("registry, all four kinds", registryAll, "");
        var viaGateway = await SequentialAsync(lookups, i => Search(gateway, keys[i % keys.Count], ct), HttpStatusCode.OK);
        table.Row("gateway POST /api/subjects/search (all kinds)", viaGateway.Latency, Found(viaGateway));
        table.Print();
        var sequentialOther = cpu?.Print("b–c. Baselines and sequential lookups");

        // d. Throughput
        cpu = CpuSampler.Start();
        var direct = await ConcurrentAsync(registry, keys, concurrency, TimeSpan.FromSeconds(seconds), ct);
        var proxied = await ConcurrentAsync(gateway, keys, concurrency, TimeSpan.FromSeconds(seconds), ct);
        new Table($"d. Lookups from {concurrency} clients at once for {seconds} s each (latency in ms)", "path", "n", "p50", "p95", "p99", "max", "lookups/s")
            .Row("registry API", direct.Latency, Clock.F(direct.PerSecond, "F0"))
            .Row("through the gateway", proxied.Latency, Clock.F(proxied.PerSecond, "F0"))
            .Print();
        var concurrentOther = cpu?.Print("d. Concurrent lookups");

        var summary = new Table("Summary", "figure", "measured", "target", "");
        summary.Row("bulk load subjects/s (records/s)", string.Create(CultureInfo.InvariantCulture, $"{loadedSubjects / loadSeconds:F0} ({loadedRecords / loadSeconds:F0})"), "", "");
        summary.Row("lookup p50 / p95 / p99 ms, registry API", $"{Percentiles.Ms(registryAll.P50)} / {Percentiles.Ms(registryAll.P95)} / {Percentiles.Ms(registryAll.P99)}",
            $"p99 ≤ {TargetP99Ms}", registryAll.P99 <= TargetP99Ms ? "met" : "NOT met");
        summary.Row("lookup p50 / p95 / p99 ms, gateway", $"{Percentiles.Ms(viaGateway.Latency.P50)} / {Percentiles.Ms(viaGateway.Latency.P95)} / {Percentiles.Ms(viaGateway.Latency.P99)}", "", "");
        summary.Row($"lookups/s, {concurrency} clients, registry API / gateway", $"{Clock.F(direct.PerSecond, "F0")} / {Clock.F(proxied.PerSecond, "F0")}", "", "");
        summary.Row("baseline p50: SELECT 1 / GET by id (registry)", $"{Percentiles.Ms(select1.P50)} / {Percentiles.Ms(registryById.Latency.P50)}", "", "");
        summary.Print();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Other work on the machine (CPU of processes neither the platform nor the bench): {sequentialOther:F0}% during b–c, {concurrentOther:F0}% during d, of {Environment.ProcessorCount * 100}%; load average {CpuSampler.LoadAverage()}"));
        return 0;
    }

    private sealed record Key(string Kind, string Value);

    private sealed record Run(Percentiles Latency, List<double> Samples, int Found, int Missing, double PerSecond);

    /// <summary>One lookup as staff make it: the identifier in the body, never in the URL; each is recorded as a search.</summary>
    private static Task<HttpResponseMessage> Search(HttpClient client, Key key, CancellationToken ct) =>
        client.PostAsJsonAsync("/api/subjects/search", new Dictionary<string, string> { [key.Kind] = key.Value }, ct);

    private static string Found(Run run) => run.Missing == 0 ? "all" : $"{run.Found} of {run.Found + run.Missing}";

    private static HttpClient Client(Uri baseAddress, PlatformTokens tokens) =>
        new(tokens.Handler(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(30) }))
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(30),
    };

    private static async Task<Run> SequentialAsync(int calls, Func<int, Task<HttpResponseMessage>> call, HttpStatusCode expected)
    {
        for (var i = 0; i < Math.Min(200, calls / 5); i++)
        {
            using var warm = await call(i);
        }

        var samples = new List<double>(calls);
        int found = 0, missing = 0;
        for (var i = 0; i < calls; i++)
        {
            var t = Clock.Now;
            using var response = await call(i);
            var body = await response.Content.ReadAsStringAsync();
            samples.Add(Clock.Ms(t, Clock.Now));
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}");
            }

            if (expected == HttpStatusCode.OK && body.Length > 2)
            {
                found++;
            }
            else if (expected == HttpStatusCode.OK)
            {
                missing++;
            }
        }

        return new Run(new Percentiles(samples), samples, found, missing, 0);
    }

    private static async Task<Run> ConcurrentAsync(HttpClient client, IReadOnlyList<Key> keys, int concurrency, TimeSpan duration, CancellationToken ct)
    {
        var samples = new ConcurrentBag<double>();
        var end = Clock.After(Clock.Now, duration);
        var started = Clock.Now;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (Clock.Now < end)
            {
                var t = Clock.Now;
                using var response = await Search(client, keys[random.Next(keys.Count)], ct);
                await response.Content.LoadIntoBufferAsync(ct);
                response.EnsureSuccessStatusCode();
                samples.Add(Clock.Ms(t, Clock.Now));
            }
        }, ct)));
        var elapsed = Clock.Ms(started, Clock.Now) / 1000;
        return new Run(new Percentiles(samples), [.. samples], samples.Count, 0, samples.Count / elapsed);
    }

    private static async Task<Percentiles> SelectOneAsync(string connectionString, int calls, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        var samples = new List<double>(calls);
        for (var i = 0; i < calls + 100; i++)
        {
            var t = Clock.Now;
            await command.ExecuteScalarAsync(ct);
            if (i >= 100)
            {
                samples.Add(Clock.Ms(t, Clock.Now));
            }
        }

        return new Percentiles(samples);
    }

    private static async Task<(long Subjects, long Records)> CountAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM subjects), (SELECT count(*) FROM records)", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The last sequence number the registry's demo loader has handed out (one load at a time here).</summary>
    private static async Task<long> LastDemoSequenceAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT last_value FROM {DemoDataLoader.Sequence}", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Identifiers of subjects spread over every load call. The registry keeps them only as keyed hashes (the identity
    /// code also encrypted), so each call's subjects are generated again as its loader generated them: the same
    /// generator, seeded with the call's first sequence number, in sequence order.
    /// </summary>
    private static List<Key> Sample(List<(long First, int Count)> loads, int count)
    {
        var random = new Random(42);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var keys = new List<Key>();
        foreach (var (first, n) in loads)
        {
            var chosen = Enumerable.Range(0, count / loads.Count + 1).Select(_ => random.Next(n)).ToHashSet();
            var generator = new DemoDataGenerator(unchecked((int)first), today);
            for (var i = 0; i <= chosen.Max(); i++)
            {
                var (subject, _) = generator.Next(first + i);
                if (!chosen.Contains(i))
                {
                    continue;
                }

                keys.Add(new Key("email", subject.Email!));
                keys.Add(new Key("phone", subject.Phone!));
                if (subject.CustomerNumber is { } customerNumber)
                {
                    keys.Add(new Key("customerNumber", customerNumber));
                }

                if (subject.Hetu is { } hetu)
                {
                    keys.Add(new Key("hetu", hetu));
                }
            }
        }

        return [.. keys.GroupBy(k => k.Kind).SelectMany(g => g.OrderBy(_ => random.Next()).Take(count / 4 + 1)).OrderBy(_ => random.Next())];
    }
}
