using System.Globalization;
using System.Net;

namespace Procexon.Bench;

/// <summary>The benchmark's knobs, from <c>--name value</c> arguments.</summary>
internal sealed class BenchOptions
{
    /// <summary>An already running platform's gateway (loopback only); without it the bench starts its own platform.</summary>
    public Uri? Gateway { get; private set; }

    /// <summary>Demo subjects to load; 0 means as many as the phases use (warm-up + rate × duration + saturation).</summary>
    public int Subjects { get; private set; }

    public double Rate { get; private set; } = 50;

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(20);

    public int Saturation { get; private set; } = 1000;

    public int SaturationConcurrency { get; private set; } = 32;

    public int LoadConcurrency { get; private set; } = 16;

    // 30 s at 10/s: after a start the services' first ten seconds or so of steady load cost more and wait longer (tiered
    // JIT, pools and caches filling), and a shorter warm-up put them in the measured phase (docs/performance.md, twentieth round).
    public int Warmup { get; private set; } = 300;

    public int BaselineCalls { get; private set; } = 500;

    /// <summary>
    /// Whether the bench's own platform keeps the OTLP export the AppHost sets up. With no dashboard under
    /// Aspire.Hosting.Testing nothing listens on that endpoint, so by default the bench removes it from the services.
    /// </summary>
    public bool Telemetry { get; private set; }

    /// <summary>Extra environment for every service of the bench's own platform (experiments: GC mode, settings).</summary>
    public Dictionary<string, string> ServiceEnvironment { get; } = [];

    /// <summary>
    /// Whether the bench sees erasures complete by polling each request (<see cref="CompletionPolls"/>) rather than by the
    /// platform's completion events (<see cref="CompletionEvents"/>); always so against a platform it did not start.
    /// </summary>
    public bool PollForCompletion { get; private set; }

    /// <summary>How often the bench sweeps the requests it waits for, when it polls (<see cref="CompletionPolls"/>).</summary>
    public TimeSpan PollInterval { get; private set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls in flight in a sweep.</summary>
    public int PollConcurrency { get; private set; } = 4;

    /// <summary>No phase runs longer than this; what has not finished by then is reported as such.</summary>
    public TimeSpan PhaseCap { get; private set; } = TimeSpan.FromMinutes(5);

    /// <summary>Where the CPU profiles of every .NET process of the platform go; null: none taken.</summary>
    public string? ProfileDirectory { get; private set; }

    /// <summary>
    /// The phase the profiles sample: the saturation (where the CPU per erasure is set) or the fixed rate (where each
    /// transaction carries one or two messages and its fixed cost decides the tail).
    /// </summary>
    public bool ProfileFixedRate { get; private set; }

    /// <summary>A folder of traces taken earlier: print their top frames and do nothing else.</summary>
    public string? ProfileReport { get; private set; }

    /// <summary>How long each profile samples, from a few seconds into its phase.</summary>
    public TimeSpan ProfileDuration { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Whether the bench's own PostgreSQL loads <c>pg_stat_statements</c> and each measured phase prints its statements
    /// by database (calls and execution time per erasure); off by default, as the extension costs a little per statement.
    /// </summary>
    public bool Statements { get; private set; }

    public int FixedRateRequests => (int)Math.Round(Rate * Duration.TotalSeconds);

    public int SubjectsToLoad => Subjects > 0 ? Subjects : Warmup + FixedRateRequests + Saturation;

    public const string Usage = """
        usage: bash bench/run.sh [options]
          --gateway URL             use a running platform (loopback only), e.g. http://localhost:8080;
                                    without it the bench starts its own platform from the AppHost
          --subjects N              demo subjects to load (default: warm-up + rate x duration + saturation)
          --rate R                  offered verifications per second in the fixed-rate phase (default 50)
          --duration S              seconds of the fixed-rate phase (default 20)
          --saturation M            erasures verified as fast as possible in the saturation phase (default 1000)
          --concurrency C           verifications in flight in the saturation phase (default 32)
          --load-concurrency C      HTTP calls in flight while loading (default 16)
          --warmup N                erasures run at 10/s before measuring, not reported (default 300)
          --baseline-calls N        sequential calls per baseline (default 500)
          --completion events|polls how the bench sees an erasure complete: the platform's RightsRequestCompleted events
                                    on its broker (default; no read on the platform while a phase runs), or polling
                                    GET /api/requests/{id} as rounds 1-20 did (always, with --gateway)
          --poll-interval MS        with polls: how often the requests not yet seen completed are swept, oldest first
                                    (default 100)
          --phase-cap S             hard cap on any phase, seconds (default 300)
          --service-env KEY=VALUE   bench-hosted platform: set an environment variable on every service (repeatable),
                                    e.g. DOTNET_gcServer=0 or Outbox__BatchSize=500
          --profile DIR             during the saturation phase (or the one --profile-phase names), sample the stacks of
                                    every .NET process of the platform with dotnet-trace into DIR and print each one's
                                    top frames (docs/performance.md)
          --profile-phase P         saturation (default) or fixed: the phase --profile samples
          --profile-report DIR      print the top frames of the traces in DIR (taken by --profile) and stop
          --profile-seconds S       how long each profile samples (default 20); give the saturation enough erasures
          --statements on|off       bench-hosted platform: load pg_stat_statements into its PostgreSQL and print each
                                    measured phase's statements, calls and execution time per erasure (default off)
          --telemetry on|off        bench-hosted platform: keep the services' OTLP export (default off: no collector
                                    listens under Aspire.Hosting.Testing, so the export would only fail and retry)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new UsageException(null);
            }

            if (i + 1 >= args.Length)
            {
                throw new UsageException($"{name} needs a value.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--gateway":
                    options.Gateway = LoopbackUri(value);
                    break;
                case "--subjects":
                    options.Subjects = Int(name, value, 1, 1_000_000);
                    break;
                case "--rate":
                    options.Rate = Double(name, value, 0.1, 10_000);
                    break;
                case "--duration":
                    options.Duration = TimeSpan.FromSeconds(Double(name, value, 1, 600));
                    break;
                case "--saturation":
                    options.Saturation = Int(name, value, 0, 1_000_000);
                    break;
                case "--concurrency":
                    options.SaturationConcurrency = Int(name, value, 1, 1024);
                    break;
                case "--load-concurrency":
                    options.LoadConcurrency = Int(name, value, 1, 1024);
                    break;
                case "--warmup":
                    options.Warmup = Int(name, value, 0, 10_000);
                    break;
                case "--baseline-calls":
                    options.BaselineCalls = Int(name, value, 10, 1_000_000);
                    break;
                case "--completion":
                    options.PollForCompletion = value switch
                    {
                        "polls" => true,
                        "events" => false,
                        _ => throw new UsageException($"--completion takes events or polls, not '{value}'."),
                    };
                    break;
                case "--poll-interval":
                    options.PollInterval = TimeSpan.FromMilliseconds(Double(name, value, 1, 10_000));
                    break;
                case "--telemetry":
                    options.Telemetry = OnOff(name, value);
                    break;
                case "--statements":
                    options.Statements = OnOff(name, value);
                    break;
                case "--service-env":
                    var equals = value.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw new UsageException($"--service-env takes KEY=VALUE, not '{value}'.");
                    }

                    options.ServiceEnvironment[value[..equals]] = value[(equals + 1)..];
                    break;
                case "--profile":
                    options.ProfileDirectory = Path.GetFullPath(value);
                    break;
                case "--profile-phase":
                    options.ProfileFixedRate = value switch
                    {
                        "fixed" => true,
                        "saturation" => false,
                        _ => throw new UsageException($"--profile-phase takes fixed or saturation, not '{value}'."),
                    };
                    break;
                case "--profile-report":
                    options.ProfileReport = Path.GetFullPath(value);
                    break;
                case "--profile-seconds":
                    options.ProfileDuration = TimeSpan.FromSeconds(Double(name, value, 5, 600));
                    break;
                case "--phase-cap":
                    options.PhaseCap = TimeSpan.FromSeconds(Double(name, value, 10, 3600));
                    break;
                default:
                    throw new UsageException($"Unknown option {name}.");
            }
        }

        return options;
    }

    private static Uri LoopbackUri(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--gateway {value} is not an http(s) URL.");
        }

        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        if (!loopback)
        {
            throw new UsageException($"--gateway {value}: the bench only speaks to loopback addresses (localhost, 127.0.0.1, ::1).");
        }

        return uri;
    }

    private static bool OnOff(string name, string value) => value switch
    {
        "on" => true,
        "off" => false,
        _ => throw new UsageException($"{name} takes on or off, not '{value}'."),
    };

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new UsageException($"{name} takes a whole number from {min} to {max}, not '{value}'.");

    private static double Double(string name, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new UsageException($"{name} takes a number from {min} to {max}, not '{value}'.");
}

internal sealed class UsageException(string? message) : Exception(message ?? "");
