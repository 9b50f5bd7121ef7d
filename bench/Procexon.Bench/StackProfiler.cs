using System.Diagnostics;
using System.Globalization;

namespace Procexon.Bench;

/// <summary>
/// Stack samples of every .NET process of the platform while the saturation phase runs (<c>--profile DIR</c>), taken
/// with <c>dotnet-trace collect --profile dotnet-sampled-thread-time</c> (EventPipe, ~100 samples a second per thread,
/// no kernel support needed), then each trace's top frames and libraries (<see cref="StackSamples"/>).
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

        Report([.. _traces.Select(t => t.File)]);
    }

    /// <summary>Prints the top frames of traces already taken (<c>--profile-report DIR</c>).</summary>
    public static void Report(IReadOnlyList<string> files)
    {
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            if (!File.Exists(file))
            {
                Console.WriteLine($"\n{Path.GetFileName(file)}: no trace was written");
                continue;
            }

            StackSamples.Read(file).Print(Path.GetFileNameWithoutExtension(file));
        }
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
