using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Procexon.Testing;

namespace Procexon.Bench;

/// <summary>
/// The platform under test: either the bench's own, started from the AppHost exactly like the end-to-end tests'
/// fixture (Debian's PostgreSQL and RabbitMQ as executables on free ports, data in a temporary folder removed at the
/// end), or a running one reached through its gateway.
/// </summary>
internal sealed class Platform : IAsyncDisposable
{
    // Generous: on these shared machines other workers' builds and tests (load averages of 30 to 70 on 2 cores) can make the start take 10 minutes.
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(15);

    private readonly DistributedApplication? _app;
    private readonly string? _dataDirectory;
    private readonly Func<string, Task<string>> _secret;

    private Platform(Uri gateway, DistributedApplication? app, string? dataDirectory)
    {
        Gateway = gateway;
        _app = app;
        _dataDirectory = dataDirectory;
        _secret = app is null ? SecretOnDisk : name => SecretOf(app, name);
        Tokens = new PlatformTokens(gateway, role => _secret($"identity-client-dev-{role}-secret"));
    }

    public Uri Gateway { get; }

    /// <summary>Tokens of the AppHost's development clients, whose secrets it generated.</summary>
    public PlatformTokens Tokens { get; }

    public bool SelfHosted => _app is not null;

    public static Platform Running(Uri gateway) => new(gateway, null, null);

    public static async Task<Platform> StartAsync(
        bool telemetry, bool statements, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var invariant = CultureInfo.InvariantCulture;
        var dataDirectory = TestServers.CreateTemporaryDirectory("bench");
        string[] args =
        [
            "Infrastructure:Mode=executable",
            $"Infrastructure:DataDirectory={dataDirectory}",
            $"Infrastructure:PostgresPort={FreePort.Next().ToString(invariant)}",
            $"Infrastructure:RabbitMqPort={FreePort.Next().ToString(invariant)}",
            $"Infrastructure:RabbitMqDistributionPort={FreePort.Next().ToString(invariant)}",
            "Infrastructure:RabbitMqManagementPort=0",
            $"Gateway:Port={FreePort.Next().ToString(invariant)}",
            // The mail server too, away from a platform that may run beside the bench (its mail stays in dataDirectory).
            $"Mail:Port={FreePort.Next().ToString(invariant)}",
            // The demo-data endpoint the lookup bench loads through.
            "DevelopmentMode=true",
            // The AppHost's own log (resource output, health probes while the servers start) would drown the figures.
            "Logging:LogLevel:Default=Warning",
            "Logging:LogLevel:Aspire.Hosting.Dcp=Error",
            "Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
            // The services create their databases at start; PostgreSQL's FATAL lines about them until then are expected.
            "Logging:LogLevel:Procexon.AppHost.Resources.postgres=None",
        ];
        DistributedApplication? app = null;
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Procexon_AppHost>(args, cancellationToken);
            builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            foreach (var project in builder.Resources.OfType<ProjectResource>())
            {
                project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    foreach (var (key, value) in environment)
                    {
                        context.EnvironmentVariables[key] = value;
                    }
                }));
            }

            if (statements)
            {
                // Loaded at the server's start only; StatementStats creates the extension and reads it per phase.
                builder.Resources.Single(r => r.Name == "postgres").Annotations.Add(new CommandLineArgsCallbackAnnotation((IList<object> args) =>
                {
                    args.Add("-c");
                    args.Add("shared_preload_libraries=pg_stat_statements");
                    args.Add("-c");
                    args.Add("pg_stat_statements.track_planning=on");
                }));
            }

            if (!telemetry)
            {
                // Without the dashboard nothing receives OTLP; ServiceDefaults exports only when the endpoint is set.
                foreach (var project in builder.Resources.OfType<ProjectResource>())
                {
                    project.Annotations.Add(new EnvironmentCallbackAnnotation(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT")));
                }
            }

            app = await builder.BuildAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_startTimeout);
            await app.StartAsync(timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
            var gateway = app.GetEndpoint("gateway", "http");
            return new Platform(gateway, app, dataDirectory);
        }
        catch
        {
            if (app is not null)
            {
                await StopAsync(app);
            }

            TryDelete(dataDirectory);
            throw;
        }
    }

    /// <summary>The broker URI of the bench's own platform; null for a running platform.</summary>
    public async Task<string?> BrokerUriAsync(CancellationToken cancellationToken) =>
        _app is null ? null : await _app.GetConnectionStringAsync("messaging", cancellationToken);

    /// <summary>The PostgreSQL server's connection string (no database) of the bench's own platform.</summary>
    public async Task<string?> PostgresConnectionStringAsync(CancellationToken cancellationToken) =>
        _app is null ? null : await _app.GetConnectionStringAsync("postgres", cancellationToken);

    /// <summary>The registry's own API (not behind the gateway), bench-hosted only.</summary>
    public Uri? Registry => _app?.GetEndpoint("registry", "http");

    /// <summary>The accounting firm's own API (not behind the gateway), bench-hosted only.</summary>
    public Uri? AccountingFirm => _app?.GetEndpoint("accounting-firm", "http");

    /// <summary>The password of the AppHost's development user of <paramref name="role"/>, for signing in at the login page.</summary>
    public Task<string> UserPasswordAsync(string role) => _secret($"identity-user-{role}-password");

    private static async Task<string> SecretOf(DistributedApplication app, string name)
    {
        var secret = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(p => p.Name == name);
        return await secret.GetValueAsync(CancellationToken.None) ?? "";
    }

    /// <summary>
    /// A running platform's secret where the AppHost keeps it (<c>PROCEXON_DATA</c>, else the repository's <c>.data</c>,
    /// else where root's AppHost moves it: the same rule as <c>scripts/token.sh</c>).
    /// </summary>
    private static Task<string> SecretOnDisk(string parameter)
    {
        var data = Environment.GetEnvironmentVariable("PROCEXON_DATA") ?? Path.Combine(RepositoryPaths.Root, ".data");
        var name = $"{parameter}.password";
        var path = Path.Combine(data, name);
        if (!File.Exists(path))
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(data)))[..12];
            path = Path.Combine("/var/tmp", $"procexon-{hash}", name);
        }

        return Task.FromResult(File.ReadAllText(path).Trim());
    }

    public async ValueTask DisposeAsync()
    {
        Tokens.Dispose();
        if (_app is not null)
        {
            await StopAsync(_app);
        }

        TryDelete(_dataDirectory);
    }

    private static async Task StopAsync(DistributedApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await app.DisposeAsync();
    }

    private static void TryDelete(string? directory)
    {
        try
        {
            if (directory is not null && Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
