using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Procexon.Bench;

/// <summary>What an erasure phase measured.</summary>
internal sealed record ErasureResult(
    string Name,
    IReadOnlyList<Erasure> Items,
    Percentiles Server,
    Percentiles Client,
    Percentiles VerifyCall,
    double OfferedPerSecond,
    double CompletionsPerSecond,
    int Completed,
    int Failed,
    string CompletionSeenBy,
    double Seconds);

/// <summary>A phase as it ran: what was sent and seen complete, before the server's timestamps are read.</summary>
internal sealed record ErasureRun(string Name, Erasure[] Items, double OfferedPerSecond, string CompletionSeenBy)
{
    /// <summary>The erasures seen complete during the phase.</summary>
    public int Completed => Items.Count(i => i.ObservedAt != 0);
}

/// <summary>
/// Phases c and d: verifications through the gateway, completion seen by a <see cref="CompletionWatch"/>, and latency from
/// the server's own <c>verification.verifiedAt</c> → <c>completedAt</c> as well as client-observed.
/// </summary>
internal static class ErasurePhases
{
    private static readonly object s_verification = new { method = "staff-id-document" };

    /// <summary>
    /// Open loop at a fixed rate: verification i is due at start + i/rate whatever happened to the earlier ones, and
    /// client-observed latency counts from that due time, so a stall cannot hide behind a late send.
    /// </summary>
    public static async Task<ErasureRun> FixedRateAsync(
        string name, GatewayClient gateway, CompletionWatch watch, IReadOnlyList<LoadedSubject> subjects, double rate, TimeSpan cap,
        CancellationToken cancellationToken)
    {
        var items = subjects.Select(s => new Erasure(s)).ToArray();
        var sendsPending = items.Length;
        var period = Stopwatch.Frequency / rate;
        var start = Clock.After(Clock.Now, TimeSpan.FromMilliseconds(50));
        var deadline = Clock.After(start, cap);
        using var phase = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        phase.CancelAfter(cap + TimeSpan.FromSeconds(10));

        var watching = watch.WatchAsync(items, () => Volatile.Read(ref sendsPending) > 0, deadline, phase.Token);

        var sends = new List<Task>(items.Length);
        for (var i = 0; i < items.Length && !phase.IsCancellationRequested; i++)
        {
            var item = items[i];
            var due = start + (long)(i * period);
            await WaitUntilAsync(due, phase.Token);
            item.ScheduledAt = due;
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    await VerifyAsync(gateway, item, phase.Token);
                }
                finally
                {
                    Interlocked.Decrement(ref sendsPending);
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(sends);
        Interlocked.Exchange(ref sendsPending, 0);
        await watching;
        var sent = items.Where(i => i.SentAt != 0).ToList();
        var offered = sent.Count > 1 ? (sent.Count - 1) / (Clock.Ms(sent[0].SentAt, sent[^1].SentAt) / 1000) : double.NaN;
        return new ErasureRun(name, items, offered, watch.Describe());
    }

    /// <summary>As fast as the platform takes them: <paramref name="concurrency"/> verifications in flight.</summary>
    public static async Task<ErasureRun> SaturationAsync(
        GatewayClient gateway, CompletionWatch watch, IReadOnlyList<LoadedSubject> subjects, int concurrency, TimeSpan cap,
        CancellationToken cancellationToken)
    {
        var items = subjects.Select(s => new Erasure(s)).ToArray();
        var next = -1;
        var verifying = true;
        var deadline = Clock.After(Clock.Now, cap);
        using var phase = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        phase.CancelAfter(cap + TimeSpan.FromSeconds(10));

        var watching = watch.WatchAsync(items, () => Volatile.Read(ref verifying), deadline, phase.Token);

        var started = Clock.Now;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Length && Clock.Now < deadline && !phase.IsCancellationRequested)
            {
                items[i].ScheduledAt = Clock.Now;
                await VerifyAsync(gateway, items[i], phase.Token);
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(workers);
        var verifySeconds = Clock.Ms(started, Clock.Now) / 1000;
        Volatile.Write(ref verifying, false);
        await watching;
        var verified = items.Count(i => i.Verified);
        return new ErasureRun("saturation", items, verified / verifySeconds, watch.Describe());
    }

    /// <summary>Warm-up: JIT, EF Core's compiled queries and connection pools on every service, not measured.</summary>
    public static async Task<ErasureResult> WarmupAsync(
        GatewayClient gateway, CompletionWatch watch, IReadOnlyList<LoadedSubject> subjects, CancellationToken cancellationToken) =>
        await SummariseAsync(gateway, await FixedRateAsync("warm-up", gateway, watch, subjects, rate: 10, TimeSpan.FromMinutes(2), cancellationToken), cancellationToken);

    /// <summary>
    /// The phase's figures. The server's timestamps of the erasures its watch saw complete without reading them (by
    /// event) are read first, once each, after the phase: the phase's own load and CPU do not include these reads.
    /// </summary>
    public static async Task<ErasureResult> SummariseAsync(GatewayClient gateway, ErasureRun run, CancellationToken cancellationToken)
    {
        await ReadServerTimesAsync(gateway, run.Items, cancellationToken);
        return Summarise(run);
    }

    /// <summary>Reads each request seen complete whose server timestamps are not yet known, eight at a time.</summary>
    public static async Task ReadServerTimesAsync(GatewayClient gateway, IReadOnlyList<Erasure> items, CancellationToken cancellationToken)
    {
        foreach (var group in items.Where(i => i.ObservedAt != 0 && !i.Completed).Chunk(8))
        {
            await Task.WhenAll(group.Select(item => ReadStatusAsync(gateway, item, cancellationToken)));
        }
    }

    private static async Task VerifyAsync(GatewayClient gateway, Erasure item, CancellationToken cancellationToken)
    {
        item.SentAt = Clock.Now;
        try
        {
            using var status = await gateway.PostAsync($"{item.Path}/verification", s_verification, HttpStatusCode.OK, cancellationToken);
            item.Server = ServerTimes.From(status.RootElement);
            item.VerifiedResponseAt = Clock.Now;
        }
        catch (Exception ex) when (ex is BenchException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            item.Error = ex.Message;
        }
    }

    /// <summary>
    /// Reads the request once; true when it has completed (its server timestamps are then kept, and the time it was
    /// first seen complete, unless a watch saw that before).
    /// </summary>
    public static async Task<bool> ReadStatusAsync(GatewayClient gateway, Erasure item, CancellationToken cancellationToken)
    {
        try
        {
            using var status = await gateway.GetAsync(item.Path, cancellationToken);
            var now = Clock.Now;
            var times = ServerTimes.From(status.RootElement);
            if (times?.CompletedAt is null)
            {
                return false;
            }

            if (item.ObservedAt == 0)
            {
                item.ObservedAt = now;
            }

            item.Server = times;
            return true;
        }
        catch (Exception ex) when (ex is BenchException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(long due, CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = Clock.Ms(Clock.Now, due);
            if (remaining <= 0)
            {
                return;
            }

            // A timer, not a spin for the last milliseconds: the bench shares the platform's two cores, and a spin before
            // each send cost it about 2% of a core at 50/s for less than a millisecond of send lag (printed per phase).
            await Task.Delay(TimeSpan.FromMilliseconds(remaining), cancellationToken);
        }
    }

    private static ErasureResult Summarise(ErasureRun run)
    {
        var items = run.Items;
        var completed = items.Where(i => i.Completed).ToList();
        var seconds = double.NaN;
        var perSecond = double.NaN;
        if (completed.Count > 1)
        {
            var first = completed.Min(i => i.Server!.VerifiedAt);
            var last = completed.Max(i => i.Server!.CompletedAt!.Value);
            seconds = (last - first).TotalSeconds;
            perSecond = completed.Count / seconds;
        }

        return new ErasureResult(
            run.Name,
            items,
            new Percentiles(completed.Select(i => i.ServerMs)),
            new Percentiles(completed.Where(i => i.ObservedAt != 0).Select(i => i.ClientMs)),
            new Percentiles(items.Where(i => i.Verified).Select(i => Clock.Ms(i.SentAt, i.VerifiedResponseAt))),
            run.OfferedPerSecond,
            perSecond,
            completed.Count,
            items.Count(i => i.Error is not null),
            run.CompletionSeenBy,
            seconds);
    }

    /// <summary>Where the time goes: each step's server timestamp, relative to the verification.</summary>
    public static void PrintBreakdown(ErasureResult result)
    {
        var done = CompletedTimes(result);
        if (done.Count == 0)
        {
            return;
        }

        new Table($"{result.Name}: where the time goes (server timestamps, ms after verifiedAt)", "step (service that stamps it)", "n", "p50", "p95", "p99", "max")
            .Row("scope recorded (RightsRequests)", SinceVerified(done, t => t.ScopeResolvedAt))
            .Row("first register erased (Registry)", SinceVerified(done, t => t.FirstRegisterAnsweredAt))
            .Row("last register erased (Registry)", SinceVerified(done, t => t.LastRegisterAnsweredAt))
            .Row("recipients notified (RightsRequests)", SinceVerified(done, t => t.RecipientsResolvedAt))
            .Row("accounting firm confirmed (processor)", SinceVerified(done, t => t.RecipientConfirmedAt))
            .Row("completed (RightsRequests)", SinceVerified(done, t => t.CompletedAt))
            .Print();
        var registers = new Percentiles(done.Where(t => t.FirstRegisterAnsweredAt is not null)
            .Select(t => (t.LastRegisterAnsweredAt!.Value - t.FirstRegisterAnsweredAt!.Value).TotalMilliseconds));
        var lastAnswer = new Percentiles(done.Select(t =>
        {
            var last = new[] { t.LastRegisterAnsweredAt, t.RecipientConfirmedAt, t.ScopeResolvedAt }.Max()!.Value;
            return (t.CompletedAt!.Value - last).TotalMilliseconds;
        }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"registers holding the subject: {done.Average(t => t.RegistersHolding):F1} of {done.Average(t => t.Registers):F0}; " +
            $"first → last register erased p50 {Percentiles.Ms(registers.P50)} ms (each register on its own queue); " +
            $"last answer stamped → completed p50 {Percentiles.Ms(lastAnswer.P50)} ms, p99 {Percentiles.Ms(lastAnswer.P99)} ms"));
    }

    /// <summary>
    /// The latency by when the erasures were verified, in windows of the phase: whether the tail is spread over the run
    /// (the platform's steady cost) or gathered in a few windows (a stall: a collection, a burst of other work).
    /// </summary>
    public static void PrintLatencyOverTime(ErasureResult result, TimeSpan window)
    {
        var done = CompletedTimes(result);
        if (done.Count == 0)
        {
            return;
        }

        var origin = done.Min(t => t.VerifiedAt);
        var table = new Table($"{result.Name}: latency by when verified ({window.TotalSeconds:F0} s windows, server clock, ms)",
            "verified in", "n", "p50", "p95", "p99", "max", "first hop p99", "over 250 ms");
        foreach (var group in done.GroupBy(t => (int)((t.VerifiedAt - origin) / window)).OrderBy(g => g.Key))
        {
            var start = group.Key * window.TotalSeconds;
            var latency = SinceVerified(group, t => t.CompletedAt);
            table.Row(string.Create(CultureInfo.InvariantCulture, $"{start:F0}–{start + window.TotalSeconds:F0} s"), latency,
                Percentiles.Ms(SinceVerified(group, t => t.FirstRegisterAnsweredAt).P99), latency.CountAbove(250).ToString(CultureInfo.InvariantCulture));
        }

        table.Print();
    }

    /// <summary>The server's timestamps of the erasures that completed.</summary>
    private static List<ServerTimes> CompletedTimes(ErasureResult result) => [.. result.Items.Where(i => i.Completed).Select(i => i.Server!)];

    /// <summary>Milliseconds from the verification to a step, for the erasures that reached it.</summary>
    private static Percentiles SinceVerified(IEnumerable<ServerTimes> times, Func<ServerTimes, DateTimeOffset?> step) =>
        new(times.Where(t => step(t) is not null).Select(t => (step(t)!.Value - t.VerifiedAt).TotalMilliseconds));

    /// <summary>Completions per second of the run, on the server's clock.</summary>
    public static void PrintTimeline(ErasureResult result)
    {
        var done = CompletedTimes(result);
        if (done.Count == 0)
        {
            return;
        }

        var origin = done.Min(t => t.VerifiedAt);
        var buckets = done.GroupBy(t => (int)(t.CompletedAt!.Value - origin).TotalSeconds).OrderBy(g => g.Key).Select(g => $"{g.Key}s:{g.Count()}");
        Console.WriteLine($"{result.Name}: completions per second since the first verification: {string.Join(" ", buckets)}");
    }
}
