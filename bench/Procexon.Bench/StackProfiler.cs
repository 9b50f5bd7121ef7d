using System.Diagnostics;
using System.Globalization;

namespace Procexon.Bench;

/// <summary>
/// Stack samples of every .NET process of the platform while the saturation phase runs (<c>--profile DIR</c>), taken
/// with <c>dotnet-trace collect --profile dotnet-sampled-thread-time</c> (EventPipe, ~100 samples a second per thread,
/// no kernel support needed), then each trace's top frames by exclusive and inclusive samples as
/// <c>dotnet-trace report … topN</c> prints them. Samples count threads, not CPU: a thread waiting in managed code is
/// sampled too, so read the frames beside the CPU table.
/// </summary>
internal sealed class StackProfiler
{
    private readonly List<(string Label, string File, Process Trace)> _traces;

    private StackProfiler(List<(string, string, Process)> traces) => _traces = traces;

    /// <summary>Starts one trace per platform .NET process, each for <paramref name="duration"/>.</summary>
    public static StackProfiler Start(string directory, TimeSpan duration)
    {
        Directory.CreateDirectory(directory);
        var tool = Tool();
        var traces = new List<(string, string, Process)>();
        foreach (var (label, pid) in CpuSampler.DotnetProcesses())
        {
            var file = Path.Combine(directory, $"{label}-{pid}.nettrace");
            var start = new ProcessStartInfo(tool)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            foreach (var argument in new[] { "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time",
                "--duration", duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture), "-o", file })
            {
                start.ArgumentList.Add(argument);
            }

            var trace = Process.Start(start) ?? throw new BenchException($"{tool} did not start.");
            // Read its output as it comes, so a full pipe never stalls it.
            trace.OutputDataReceived += (_, _) => { };
            trace.ErrorDataReceived += (_, _) => { };
            trace.BeginOutputReadLine();
            trace.BeginErrorReadLine();
            traces.Add((label, file, trace));
        }

        Console.WriteLine($"\nprofiling {traces.Count} processes for {duration.TotalSeconds:F0} s into {directory}");
        return new StackProfiler(traces);
    }

    /// <summary>Waits for every trace to end and prints each process's top frames.</summary>
    public async Task PrintAsync(CancellationToken cancellationToken)
    {
        foreach (var (_, _, trace) in _traces)
        {
            await trace.WaitForExitAsync(cancellationToken);
        }

        foreach (var (label, file, _) in _traces)
        {
            if (!File.Exists(file))
            {
                Console.WriteLine($"\n{label}: no trace was written ({file})");
                continue;
            }

            foreach (var inclusive in new[] { false, true })
            {
                Console.WriteLine($"\n{label}: top frames by {(inclusive ? "inclusive" : "exclusive")} samples ({Path.GetFileName(file)})");
                Console.Write(await ReportAsync(file, inclusive, cancellationToken));
            }
        }
    }

    private static async Task<string> ReportAsync(string file, bool inclusive, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Tool()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "report", file, "topN", "-n", "25" })
        {
            start.ArgumentList.Add(argument);
        }

        if (inclusive)
        {
            start.ArgumentList.Add("--inclusive");
        }

        using var report = Process.Start(start) ?? throw new BenchException("dotnet-trace report did not start.");
        var output = report.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = report.StandardError.ReadToEndAsync(cancellationToken);
        await report.WaitForExitAsync(cancellationToken);
        return await output + await error;
    }

    /// <summary>dotnet-trace from the PATH or the global tools folder; <c>bench/run.sh --profile</c> installs it.</summary>
    private static string Tool()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Append(Path.Combine(home, ".dotnet", "tools"))
            .Select(folder => Path.Combine(folder, "dotnet-trace"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new BenchException("--profile needs dotnet-trace: dotnet tool install -g dotnet-trace");
    }
}
