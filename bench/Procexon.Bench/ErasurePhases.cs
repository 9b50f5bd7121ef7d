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
    long Polls,
    double Seconds);

/// <summary>
/// Phases c and d: verifications through the gateway, completion seen by polling <c>GET /api/requests/{id}</c>, and
/// latency from the server's own <c>verification.verifiedAt</c> → <c>completedAt</c> as well as client-observed.
/// </summary>
internal static class ErasurePhases
{
    private static readonly object s_verification = new { method = "staff-id-document" };

    /// <summary>
    /// Open loop at a fixed rate: verification i is due at start + i/rate whatever happened to the earlier ones, and
    /// client-observed latency counts from that due time, so a stall cannot hide behind a late send.
    /// </summary>
    public static async Task<ErasureResult> FixedRateAsync(
        string name, GatewayClient gateway, IReadOnlyList<LoadedSubject> subjects, double rate, TimeSpan pollInterval,
        int pollConcurrency, TimeSpan cap, CancellationToken cancellationToken)
    {
        var items = subjects.Select(s => new Erasure(s)).ToArray();
        var sendsPending = items.Length;
        var period = Stopwatch.Frequency / rate;
        var start = Clock.After(Clock.Now, TimeSpan.FromMilliseconds(50));
        var deadline = Clock.After(start, cap);
        using var phase = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        phase.CancelAfter(cap + TimeSpan.FromSeconds(10));

        var poller = SweepAsync(gateway, items, () => Volatile.Read(ref sendsPending) > 0, pollInterval, pollConcurrency, deadline, phase.Token);

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
        var polls = await poller;
        var sent = items.Where(i => i.SentAt != 0).ToList();
        var offered = sent.Count > 1 ? (sent.Count - 1) / (Clock.Ms(sent[0].SentAt, sent[^1].SentAt) / 1000) : double.NaN;
        return Summarise(name, items, offered, polls);
    }

    /// <summary>As fast as the platform takes them: <paramref name="concurrency"/> verifications in flight.</summary>
    public static async Task<ErasureResult> SaturationAsync(
        GatewayClient gateway, IReadOnlyList<LoadedSubject> subjects, int concurrency, TimeSpan pollInterval, int pollConcurrency, TimeSpan cap,
        CancellationToken cancellationToken)
    {
        var items = subjects.Select(s => new Erasure(s)).ToArray();
        var next = -1;
        var verifying = true;
        var deadline = Clock.After(Clock.Now, cap);
        using var phase = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        phase.CancelAfter(cap + TimeSpan.FromSeconds(10));

        var poller = SweepAsync(gateway, items, () => Volatile.Read(ref verifying), pollInterval, pollConcurrency, deadline, phase.Token);

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
        var polls = await poller;
        var verified = items.Count(i => i.Verified);
        return Summarise("saturation", items, verified / verifySeconds, polls);
    }

    /// <summary>Warm-up: JIT, EF Core's compiled queries and connection pools on every service, not measured.</summary>
    public static async Task<ErasureResult> WarmupAsync(GatewayClient gateway, IReadOnlyList<LoadedSubject> subjects, CancellationToken cancellationToken) =>
        await FixedRateAsync("warm-up", gateway, subjects, rate: 10, TimeSpan.FromMilliseconds(50), pollConcurrency: 4, TimeSpan.FromMinutes(2), cancellationToken);

    /// <summary>
    /// Sees the requests complete by polling <c>GET /api/requests/{id}</c> in sweeps, one every <paramref name="interval"/>:
    /// a sweep polls the oldest verified requests not yet seen completed, <paramref name="concurrency"/> at a time, and
    /// stops at the first group none of which has completed. Completions come roughly in verification order, so this
    /// costs about one GET per completion and one group per sweep, and the bench's reads stay a small part of the load
    /// it measures. Ends when nothing is pending and <paramref name="moreToCome"/> says no verification will follow.
    /// </summary>
    /// <returns>How many polls it made.</returns>
    private static async Task<long> SweepAsync(
        GatewayClient gateway, IReadOnlyList<Erasure> items, Func<bool> moreToCome, TimeSpan interval, int concurrency, long deadline,
        CancellationToken cancellationToken)
    {
        var polls = 0L;
        while (Clock.Now < deadline && !cancellationToken.IsCancellationRequested)
        {
            // Read before the pending list: a verification that lands between the two is then still swept.
            var more = moreToCome();
            var pending = items.Where(i => i.Verified && !i.Completed).ToList();
            if (pending.Count == 0 && !more)
            {
                return polls;
            }

            foreach (var group in pending.Chunk(concurrency))
            {
                polls += group.Length;
                var done = await Task.WhenAll(group.Select(item => PollAsync(gateway, item, cancellationToken)));
                if (!done.Any(d => d))
                {
                    break;
                }
            }

            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return polls;
            }
        }

        return polls;
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

    /// <summary>Polls the request once; true when it has completed (its server timestamps are then kept).</summary>
    private static async Task<bool> PollAsync(GatewayClient gateway, Erasure item, CancellationToken cancellationToken)
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

            item.ObservedAt = now;
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

            if (remaining > 2)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(remaining - 1.5), cancellationToken);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    private static ErasureResult Summarise(string name, Erasure[] items, double offered, long polls)
    {
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
            name,
            items,
            new Percentiles(completed.Select(i => i.ServerMs)),
            new Percentiles(completed.Where(i => i.ObservedAt != 0).Select(i => i.ClientMs)),
            new Percentiles(items.Where(i => i.Verified).Select(i => Clock.Ms(i.SentAt, i.VerifiedResponseAt))),
            offered,
            perSecond,
            completed.Count,
            items.Count(i => i.Error is not null),
            polls,
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
