using System.Globalization;

namespace Procexon.Bench;

/// <summary>
/// CPU time per part of the platform over a phase, from <c>/proc/*/stat</c> (Linux): which process the two cores
/// were busy in, and how often each process's threads were switched off a core (<c>/proc/*/task/*/status</c>): on two
/// shared cores every wake-up of another thread is a context switch, and a process that spins makes them by the
/// thousand (docs/performance.md, twenty-fifth round). Processes are grouped by what their command line names.
/// </summary>
internal sealed class CpuSampler
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private const string Browser = "chromium (the bench's browser)";
    private const string Postgres = "PostgreSQL";

    // PostgreSQL's processes, counted again by what each does (a service's database connections, the WAL writer, vacuum).
    private const string PostgresPart = "PostgreSQL/";

    private static readonly (string Label, string Needle)[] s_groups =
    [
        ("Gateway", "Procexon.Gateway"),
        ("Registry", "Procexon.Registry"),
        ("RightsRequests", "Procexon.RightsRequests"),
        ("Retention", "Procexon.Retention"),
        ("DisclosureLog", "Procexon.DisclosureLog"),
        ("AccountingFirm", "Procexon.Processors.AccountingFirm"),
        ("WebsiteCompany (Node.js)", "node server.js"),
        ("Identity", "Procexon.Identity"),
        ("Console", "Procexon.Console"),
        ("mail server (aiosmtpd)", "smtp.py"),
        ("bench (this process)", "Procexon.Bench"),
        // The console bench's browser: the client side, neither the platform nor other work.
        (Browser, "chromium"),
        (Postgres, "postgres"),
        ("RabbitMQ (Erlang VM)", "beam.smp"),
        ("Aspire DCP and proxies", "dcp"),
    ];

    // What a PostgreSQL process that ended within the phase used, as its parent (the postmaster) reaped it.
    private const string EndedWithinPhase = "processes that ended within the phase";

    private readonly Dictionary<int, ProcessTicks> _start;
    private readonly Dictionary<(string Label, string Thread), long>? _startSwitches;
    private readonly long _startedAt = Clock.Now;

    private CpuSampler(Dictionary<int, ProcessTicks> start, Dictionary<(string Label, string Thread), long>? startSwitches)
    {
        _start = start;
        _startSwitches = startSwitches;
    }

    /// <summary>The platform's CPU milliseconds per completed erasure, once <see cref="Print"/> was given the erasures.</summary>
    public double? PlatformMsPerErasure { get; private set; }

    /// <summary>A phase's sampler: CPU and context switches.</summary>
    public static CpuSampler? Start() => OperatingSystem.IsLinux() ? new CpuSampler(Snapshot(out var switches, threads: true), switches) : null;

    /// <summary>A look at how busy the machine is (<see cref="BusyPercent"/>), without reading every thread's switches.</summary>
    public static CpuSampler? Window() => OperatingSystem.IsLinux() ? new CpuSampler(Snapshot(out _, threads: false), null) : null;

    /// <summary>
    /// Prints the table and answers the CPU % of processes that are not the platform's nor the bench's. Given the
    /// erasures that completed in the phase, it also prints the CPU milliseconds each process spent per erasure, and the
    /// platform's total (every process but the bench and other work; the gateway's share includes the bench's polls),
    /// and the context switches of each per erasure (those of threads that ended within the phase are not seen).
    /// </summary>
    public double Print(string phase, int? completed = null)
    {
        var byLabel = Used(Snapshot(out var endSwitches, threads: _startSwitches is not null));
        var seconds = Clock.Ms(_startedAt, Clock.Now) / 1000;
        var cores = Environment.ProcessorCount;
        string[] columns = completed > 0
            ? ["process", "CPU %", "share of busy", "CPU ms per erasure", "context switches per erasure"]
            : ["process", "CPU %", "share of busy"];
        var table = new Table($"{phase}: CPU by process over {Clock.F(seconds)} s ({cores} cores = {cores * 100}%; load average now {LoadAverage()})", columns);
        var used = byLabel.Where(e => !e.Key.StartsWith(PostgresPart, StringComparison.Ordinal))
            .Select(e => (e.Key, Seconds: e.Value)).Where(e => e.Seconds > 0).OrderByDescending(e => e.Seconds).ToList();
        var busy = used.Sum(u => u.Seconds);
        string PerErasure(double cpuSeconds) => Clock.F(cpuSeconds * 1000 / completed!.Value);
        // Thread by thread: a thread that ended within the phase would otherwise take its switches before the phase with it.
        var switched = endSwitches?.GroupBy(e => e.Key.Label)
            .ToDictionary(g => g.Key, g => g.Sum(e => Math.Max(0, e.Value - _startSwitches!.GetValueOrDefault(e.Key))));
        long Switched(string label) => switched?.GetValueOrDefault(label) ?? 0;
        string SwitchesPerErasure(long switches) => endSwitches is null ? "" : Clock.F((double)switches / completed!.Value, "F0");
        foreach (var (label, cpu) in used)
        {
            if (completed > 0)
            {
                table.Row(label, Clock.F(cpu / seconds * 100), Clock.F(cpu / busy * 100) + "%", PerErasure(cpu), SwitchesPerErasure(Switched(label)));
            }
            else
            {
                table.Row(label, Clock.F(cpu / seconds * 100), Clock.F(cpu / busy * 100) + "%");
            }
        }

        if (completed > 0)
        {
            static bool OfPlatform(string label) => label is not ("other" or "bench (this process)" or Browser);
            var platform = used.Where(u => OfPlatform(u.Key)).Sum(u => u.Seconds);
            PlatformMsPerErasure = platform * 1000 / completed.Value;
            table.Row("total busy", Clock.F(busy / seconds * 100), "", PerErasure(busy), SwitchesPerErasure(used.Sum(u => Switched(u.Key))));
            table.Row($"platform ({completed} erasures)", Clock.F(platform / seconds * 100), Clock.F(platform / busy * 100) + "%", PerErasure(platform),
                SwitchesPerErasure(used.Where(u => OfPlatform(u.Key)).Sum(u => Switched(u.Key))));
        }
        else
        {
            table.Row("total busy", Clock.F(busy / seconds * 100), "");
        }

        table.Print();
        if (completed > 0)
        {
            PrintPostgresParts(phase, byLabel, completed.Value);
        }

        return used.Where(u => u.Key == "other").Sum(u => u.Seconds) / seconds * 100;
    }

    /// <summary>CPU % of the whole machine (all processes) since this sampler started.</summary>
    public double BusyPercent()
    {
        var used = Used(Snapshot(out _, threads: false));
        var seconds = Clock.Ms(_startedAt, Clock.Now) / 1000;
        return used.Where(e => !e.Key.StartsWith(PostgresPart, StringComparison.Ordinal)).Sum(e => Math.Max(0, e.Value)) / seconds * 100;
    }

    /// <summary>
    /// CPU seconds since the start by label (and by PostgreSQL part), process by process: a process that ended within
    /// the phase counts what it used in it, from what its parent reaped (the kernel adds a reaped child's CPU to its
    /// parent's), less what it had used before; a PostgreSQL connection that closed within the phase is counted under
    /// PostgreSQL, and under <see cref="EndedWithinPhase"/> among its parts. A process whose parent is gone too is not seen.
    /// </summary>
    private Dictionary<string, double> Used(Dictionary<int, ProcessTicks> end)
    {
        var used = new Dictionary<string, double>();
        void Add(string label, string? part, double seconds)
        {
            used[label] = used.GetValueOrDefault(label) + seconds;
            if (part is not null)
            {
                used[PostgresPart + part] = used.GetValueOrDefault(PostgresPart + part) + seconds;
            }
        }

        foreach (var (pid, now) in end)
        {
            // A process id used again by another process is a new process.
            var before = _start.TryGetValue(pid, out var started) && started.Label == now.Label ? started : default;
            Add(now.Label, now.Part, now.Own - before.Own);
            Add(now.Label, now.Part is null ? null : EndedWithinPhase, now.Reaped - before.Reaped);
        }

        foreach (var (pid, before) in _start)
        {
            if (!end.TryGetValue(pid, out var now) || now.Label != before.Label)
            {
                // Its parent's reaped CPU holds all it used; what it had used before the phase is not the phase's.
                Add(before.Label, before.Part is null ? null : EndedWithinPhase, -(before.Own + before.Reaped));
            }
        }

        return used;
    }

    /// <summary>
    /// After a load phase: waits until the machine is quiet (below 30% of one core for 3 s running), at most
    /// <paramref name="atMost"/>, and says how long that took and the load average.
    /// </summary>
    public static async Task SettleAsync(TimeSpan atMost, CancellationToken ct)
    {
        var quiet = 0;
        var waited = Clock.Now;
        while (quiet < 3 && Clock.Ms(waited, Clock.Now) < atMost.TotalMilliseconds && Window() is { } window)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            quiet = window.BusyPercent() < 30 ? quiet + 1 : 0;
        }

        Console.WriteLine($"(settled {Clock.F(Clock.Ms(waited, Clock.Now) / 1000, "F0")} s; load average {LoadAverage()})");
    }

    /// <summary>The 1, 5 and 15 minute load averages: other work on the machine shows here and as "other" above.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>
    /// Every process's CPU seconds and label, by its id, in one pass over <c>/proc</c>; with <paramref name="threads"/>,
    /// also the context switches of every thread, by its process's label and its path under <c>/proc</c>, voluntary (a
    /// wait) and not (preempted, or a yield to another thread).
    /// </summary>
    private static Dictionary<int, ProcessTicks> Snapshot(out Dictionary<(string Label, string Thread), long>? switches, bool threads)
    {
        var totals = new Dictionary<int, ProcessTicks>();
        switches = threads ? [] : null;
        foreach (var (directory, pid, command) in Processes())
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
                var label = Label(command, name);
                // Fields after the command name: state is field 3; utime and stime are fields 14 and 15, and the CPU of
                // the children it reaped (cutime, cstime) fields 16 and 17.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                double Seconds(int field) => double.Parse(fields[field - 3], CultureInfo.InvariantCulture) / TicksPerSecond;
                totals[pid] = new ProcessTicks(label, label == Postgres ? PostgresProcess(command) : null,
                    Seconds(14) + Seconds(15), Seconds(16) + Seconds(17));

                if (switches is not null)
                {
                    foreach (var task in Directory.EnumerateDirectories(Path.Combine(directory, "task")))
                    {
                        switches[(label, task)] = ThreadSwitches(task);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }

        return totals;
    }

    private static long ThreadSwitches(string task)
    {
        long switches = 0;
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(task, "status")))
            {
                if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal)
                    || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                {
                    switches += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The thread ended while we looked.
        }

        return switches;
    }

    /// <summary>The platform's .NET processes (the bench excepted), each with its label.</summary>
    public static IEnumerable<(string Label, int Pid)> DotnetProcesses()
    {
        foreach (var (_, pid, command) in Processes())
        {
            // The service itself, not a `dotnet run --project ….csproj` that started it, nor a tool attached to it; a
            // process with a diagnostics socket is a .NET runtime.
            var group = s_groups.FirstOrDefault(g => g.Needle.StartsWith("Procexon.", StringComparison.Ordinal)
                && g.Needle != "Procexon.Bench" && command.Contains(g.Needle, StringComparison.Ordinal));
            if (group.Label is not null && !command.Contains(".csproj", StringComparison.Ordinal) && !command.Contains("dotnet-trace", StringComparison.Ordinal)
                && !command.Contains(".Tests", StringComparison.Ordinal)
                && Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*").Any())
            {
                yield return (group.Label, pid);
            }
        }
    }

    /// <summary>Every process's folder under <c>/proc</c>, id and command line; one that ends while read is left out.</summary>
    private static IEnumerable<(string Directory, int Pid, string Command)> Processes()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string command;
            try
            {
                command = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            yield return (directory, pid, command);
        }
    }

    /// <summary>
    /// PostgreSQL's CPU per erasure by its processes: the connections of each service's database (its statements'
    /// parsing, planning, execution and protocol) and the server's own background work (WAL writer, checkpointer,
    /// vacuum), and what the processes that ended within the phase used (connections closed, vacuum workers), whose
    /// database is no longer known.
    /// </summary>
    private static void PrintPostgresParts(string phase, Dictionary<string, double> used, int completed)
    {
        var parts = used.Where(e => e.Key.StartsWith(PostgresPart, StringComparison.Ordinal))
            .Select(e => (Part: e.Key[PostgresPart.Length..], Seconds: e.Value))
            .Where(e => e.Seconds > 0).OrderByDescending(e => e.Seconds).ToList();
        if (parts.Count == 0)
        {
            return;
        }

        var table = new Table($"{phase}: PostgreSQL's CPU by what its processes do", "PostgreSQL process", "CPU ms per erasure");
        foreach (var (part, cpu) in parts)
        {
            table.Row(part, Clock.F(cpu * 1000 / completed, "F2"));
        }

        table.Print();
    }

    /// <summary>
    /// What a PostgreSQL process is, from the title it sets: "postgres: USER DATABASE HOST(PORT) STATE" for a
    /// connection (named by its database), "postgres: walwriter" and the like for the server's own processes.
    /// </summary>
    private static string PostgresProcess(string command)
    {
        const string title = "postgres: ";
        if (!command.StartsWith(title, StringComparison.Ordinal))
        {
            return "postmaster";
        }

        var words = command[title.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length >= 3 && words[2].Contains('(', StringComparison.Ordinal))
        {
            return $"connections to {words[1]}";
        }

        return words.Length >= 2 && words[0] == "autovacuum" && words[1] == "worker" ? "autovacuum workers" : string.Join(' ', words);
    }

    private static string Label(string command, string name)
    {
        foreach (var (label, needle) in s_groups)
        {
            if (command.Contains(needle, StringComparison.Ordinal) || name.Contains(needle, StringComparison.Ordinal))
            {
                return label;
            }
        }

        return "other";
    }
}

/// <summary>One process's CPU seconds: its own, and its reaped children's; <c>Part</c> is what a PostgreSQL process does.</summary>
internal readonly record struct ProcessTicks(string Label, string? Part, double Own, double Reaped);
