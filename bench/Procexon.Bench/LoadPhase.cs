using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Procexon.Bench;

/// <summary>A loaded demo subject and its erasure request, still awaiting verification.</summary>
internal sealed record LoadedSubject(int Index, Guid SubjectId, string Email, Guid RequestId);

/// <summary>
/// Phase a: demo subjects with records in all ten registers (each register's own data categories, as in
/// <c>src/Registry/Infrastructure/Seed/registers.json</c>), a disclosure of each to the accounting firm, and one
/// erasure request per subject, awaiting verification.
/// </summary>
internal static class LoadPhase
{
    private static readonly DateOnly s_voucherDate = new(2025, 3, 10);

    /// <summary>Register, data category, fields, recorded-on: fourteen records over the ten registers.</summary>
    private static IEnumerable<(string Register, string Category, Dictionary<string, string> Fields, DateOnly? RecordedOn)> RecordsOf(int i, DateOnly today) =>
    [
        ("customers", "customer-contract", new() { ["order"] = $"Tilaus 2025-{i}" }, null),
        ("customers", "basic-data", new() { ["title"] = "Talouspäällikkö" }, null),
        ("suppliers", "basic-data", new() { ["company"] = "Toimittaja Oy", ["role"] = "yhteyshenkilö" }, null),
        ("marketing", "direct-marketing", new() { ["newsletter"] = "yes" }, null),
        ("stakeholders", "event-registrations", new() { ["event"] = "Procexon-päivä 2025" }, null),
        ("web-users", "credentials", new() { ["username"] = $"bench{i}" }, null),
        ("contacts", "basic-data", new() { ["channel"] = "e-mail" }, null),
        ("email-archive", "correspondence", new() { ["subject"] = "Tarjouspyyntö" }, null),
        ("email-archive", "accounting-material", new() { ["subject"] = $"Lasku {1000 + i}" }, s_voucherDate),
        ("accounting-payroll", "accounting-material", new() { ["invoice"] = $"{1000 + i}", ["amount"] = "1240.00" }, s_voucherDate),
        ("employees", "payroll", new() { ["month"] = "2025-02", ["gross"] = "3650.00" }, s_voucherDate),
        ("employees", "employment", new() { ["kind"] = "employment-certificate", ["duties"] = "konsultti", ["employmentEnded"] = "2024-12-31" }, null),
        ("employees", "employment", new() { ["kind"] = "working-time", ["hours"] = "162.5", ["employmentEnded"] = "2024-12-31" }, null),
        ("backups", "backup-copies", new() { ["backup"] = "nightly" }, today.AddDays(-10)),
    ];

    public static int RecordsPerSubject => RecordsOf(0, s_voucherDate).Count();

    public static async Task<List<LoadedSubject>> RunAsync(GatewayClient gateway, int subjects, int concurrency, TimeSpan cap, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var latencies = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        var loaded = new ConcurrentBag<LoadedSubject>();
        var next = -1;
        var errors = 0;
        BenchException? firstError = null;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(cap);
        Console.WriteLine($"Loading {subjects} subjects ({RecordsPerSubject} records in 10 registers, 1 disclosure, 1 erasure request each) with {concurrency} calls in flight…");

        async Task<System.Text.Json.JsonDocument> TimedPost(string kind, string path, object body)
        {
            var start = Clock.Now;
            var document = await gateway.PostAsync(path, body, HttpStatusCode.Created, deadline.Token);
            latencies.GetOrAdd(kind, _ => []).Add(Clock.Ms(start, Clock.Now));
            return document;
        }

        var started = Clock.Now;
        var progress = Clock.Now;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < subjects && !deadline.IsCancellationRequested)
            {
                try
                {
                    var email = $"bench-{run}-{i}@example.fi";
                    Guid subjectId;
                    using (var created = await TimedPost("POST /api/subjects", "/api/subjects",
                        new { name = $"Testi Henkilö {i}", email, customerNumber = $"B{run}-{i}" }))
                    {
                        subjectId = created.RootElement.GetProperty("id").GetGuid();
                    }

                    foreach (var (register, category, fields, recordedOn) in RecordsOf(i, today))
                    {
                        using var record = await TimedPost("POST /api/registers/{r}/records", $"/api/registers/{register}/records",
                            new { subjectId, category, fields, recordedOn });
                    }

                    using (var __ = await TimedPost("POST /api/disclosures", "/api/disclosures", new
                    {
                        recipientId = "accounting-firm",
                        subjectId,
                        categories = new[] { "basic-data", "accounting-material" },
                        legalBasis = "law",
                        subject = new { email },
                    }))
                    {
                    }

                    using var request = await TimedPost("POST /api/requests", "/api/requests",
                        new { type = "erasure", subject = new { email }, channel = "email" });
                    loaded.Add(new LoadedSubject(i, subjectId, email, request.RootElement.GetProperty("id").GetGuid()));

                    if (Clock.Ms(Interlocked.Read(ref progress), Clock.Now) > 10_000)
                    {
                        Interlocked.Exchange(ref progress, Clock.Now);
                        Console.WriteLine($"  {loaded.Count} subjects loaded after {Clock.F(Clock.Ms(started, Clock.Now) / 1000)} s");
                    }
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (BenchException ex)
                {
                    Interlocked.CompareExchange(ref firstError, ex, null);
                    if (Interlocked.Increment(ref errors) > Math.Max(5, subjects / 100))
                    {
                        throw new BenchException($"Loading failed: more than {Math.Max(5, subjects / 100)} subjects could not be loaded. First: {firstError.Message}");
                    }
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        var seconds = Clock.Ms(started, Clock.Now) / 1000;
        cancellationToken.ThrowIfCancellationRequested();

        var table = new Table("a. Load (through the gateway)", "call", "n", "p50 ms", "p95 ms", "p99 ms", "max ms");
        var calls = 0;
        foreach (var (kind, samples) in latencies.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var stats = new Percentiles(samples);
            calls += stats.Count;
            table.Row(kind, stats);
        }

        table.Print();
        Console.WriteLine($"load rate: {calls} calls in {Clock.F(seconds)} s = {Clock.F(calls / seconds)} requests/s, {Clock.F(loaded.Count / seconds)} subjects/s " +
            $"({loaded.Count} of {subjects} subjects loaded, {errors} failed, {gateway.Retries} retries after 429/503" +
            $"{(deadline.IsCancellationRequested ? $", stopped by the {cap.TotalSeconds} s cap" : "")})");
        if (firstError is not null)
        {
            Console.WriteLine($"first load error: {firstError.Message}");
        }

        LoadRate = calls / seconds;
        LoadSubjectsPerSecond = loaded.Count / seconds;
        return [.. loaded.OrderBy(s => s.Index)];
    }

    public static double LoadRate { get; private set; }

    public static double LoadSubjectsPerSecond { get; private set; }

    /// <summary>Labels for the summary.</summary>
    public static string Describe(int subjects) => string.Create(CultureInfo.InvariantCulture, $"{subjects} subjects × ({RecordsPerSubject} records + disclosure + request)");
}
