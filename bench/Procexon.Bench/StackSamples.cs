using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.EventPipe;

namespace Procexon.Bench;

/// <summary>
/// One process's stack samples, reduced to where its CPU went. The EventPipe sample profiler samples every managed
/// thread ~100 times a second and says whether the thread was in managed code or outside it (waiting, in the kernel);
/// only the samples in managed code are counted, so a thread parked on a semaphore does not drown the rest (which is
/// what <c>dotnet-trace report topN</c> shows). CPU spent in native code (the GC, the kernel's sockets) is not in them.
/// </summary>
internal sealed class StackSamples
{
    private readonly Dictionary<string, int> _exclusive = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _inclusive = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _libraries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ownCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _paths = new(StringComparer.Ordinal);
    private int _managed;
    private int _all;

    public static StackSamples Read(string nettrace)
    {
        var samples = new StackSamples();
        var etlx = TraceLog.CreateFromEventPipeDataFile(nettrace);
        using var log = new TraceLog(etlx);
        foreach (var data in log.Events)
        {
            if (data is not ClrThreadSampleTraceData sample)
            {
                continue;
            }

            samples._all++;
            if (sample.Type == ClrThreadSampleType.Managed)
            {
                samples.Add(data.CallStack());
            }
        }

        File.Delete(etlx);
        return samples;
    }

    private void Add(TraceCallStack? stack)
    {
        if (stack is null)
        {
            return;
        }

        _managed++;
        var leaf = true;
        var methods = new HashSet<string>(StringComparer.Ordinal);
        var libraries = new HashSet<string>(StringComparer.Ordinal);
        string? ownCode = null;
        string? leafMethod = null;
        string? firstOutsideRuntime = null;
        for (var frame = stack; frame is not null; frame = frame.Caller)
        {
            var method = frame.CodeAddress.FullMethodName;
            if (string.IsNullOrEmpty(method))
            {
                method = $"{frame.CodeAddress.ModuleName}!?";
            }

            if (leaf)
            {
                Count(_exclusive, method);
                leafMethod = method;
                leaf = false;
            }
            else if (firstOutsideRuntime is null && !method.StartsWith("System.", StringComparison.Ordinal) && !method.StartsWith("Interop", StringComparison.Ordinal)
                && !method.Contains("!?", StringComparison.Ordinal))
            {
                firstOutsideRuntime = Shorten(method);
            }

            methods.Add(method);
            libraries.Add(Library(frame.CodeAddress.ModuleName, method));
            // The innermost frame of the platform's own code: which handler or endpoint the sample ran for.
            if (ownCode is null && method.StartsWith("Procexon.", StringComparison.Ordinal))
            {
                ownCode = Shorten(method);
            }
        }

        foreach (var method in methods)
        {
            Count(_inclusive, method);
        }

        foreach (var library in libraries)
        {
            Count(_libraries, library);
        }

        Count(_ownCode, ownCode ?? "(no Procexon frame: hosting, timers, the transport's own loops)");
        Count(_paths, $"{Shorten(leafMethod!)} ← {firstOutsideRuntime ?? "-"} ← {ownCode ?? "-"}");
    }

    public void Print(string name)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\n{name}: {_managed} samples in managed code of {_all} thread samples ({Percent(_managed, _all)})"));
        if (_managed == 0)
        {
            return;
        }

        Top("libraries on the stack (a sample counts once for each library it passes through)", _libraries, 15);
        Top("innermost Procexon frame (what the sample was working for)", _ownCode, 15);
        Top("methods, exclusive (the leaf frame)", _exclusive, 20);
        Top("leaf ← its nearest caller outside the runtime ← innermost Procexon frame", _paths, 20);
        Top("methods, inclusive", _inclusive, 30);
    }

    private void Top(string title, Dictionary<string, int> counts, int count)
    {
        var table = new Table($"{title}", ["share of managed samples", "samples", "frame"]);
        foreach (var (frame, samples) in counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(count))
        {
            table.Row(Percent(samples, _managed), samples.ToString(CultureInfo.InvariantCulture), frame.Length > 140 ? frame[..140] + "…" : frame);
        }

        table.Print();
    }

    /// <summary>A library as an operator would name it: the module, folded to the project it ships in.</summary>
    private static string Library(string module, string method)
    {
        var name = string.IsNullOrEmpty(module) ? method.Split('!')[0] : module;
        foreach (var (prefix, library) in s_libraries)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || method.StartsWith(prefix, StringComparison.Ordinal))
            {
                return library;
            }
        }

        return name;
    }

    private static readonly (string Prefix, string Library)[] s_libraries =
    [
        ("Microsoft.EntityFrameworkCore", "EF Core"),
        ("Npgsql", "Npgsql"),
        ("MassTransit", "MassTransit"),
        ("RabbitMQ", "RabbitMQ.Client"),
        ("System.Text.Json", "System.Text.Json"),
        ("OpenTelemetry", "OpenTelemetry"),
        ("Microsoft.Extensions.Logging", "Microsoft.Extensions.Logging"),
        ("Microsoft.AspNetCore", "ASP.NET Core"),
        ("Yarp", "YARP"),
        ("Microsoft.IdentityModel", "token validation (IdentityModel)"),
        ("System.IdentityModel", "token validation (IdentityModel)"),
        ("Procexon", "Procexon (own code)"),
    ];

    private static string Shorten(string method)
    {
        var parenthesis = method.IndexOf('(', StringComparison.Ordinal);
        return parenthesis > 0 ? method[..parenthesis] : method;
    }

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static string Percent(int part, int whole) =>
        whole == 0 ? "–" : (part * 100.0 / whole).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
