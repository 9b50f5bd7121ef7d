using System.Collections.Concurrent;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Procexon.Testing;
using Procexon.Testing.Telemetry;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The whole platform started from the AppHost, once for the collection: real PostgreSQL and RabbitMQ (local servers
/// on free ports in a temporary folder where no container engine answers), the mail server, every service, the
/// gateway. Tests speak only to the gateway, and read what was mailed to subjects from the mail server's folder.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    // A machine shared with other builds may need longer: PROCEXON_E2E_START_MINUTES raises it for a run.
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(
        int.TryParse(Environment.GetEnvironmentVariable("PROCEXON_E2E_START_MINUTES"), out var minutes) && minutes > 4 ? minutes : 4);
    private readonly string _dataDirectory = TestServers.CreateTemporaryDirectory("e2e");
    private DistributedApplication? _app;

    /// <summary>
    /// The gateway as a member of staff who both handles requests and keeps the registers (privacy officer and register
    /// admin): the flows need both, and who may do what is proven apart, role by role (<see cref="GatewayAs"/>).
    /// </summary>
    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>The gateway with no token: what the public reaches.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    private const string StaffClient = "e2e-staff";
    private readonly string _staffSecret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly List<IDisposable> _clients = [];
    private readonly ConcurrentDictionary<string, Task<HttpClient>> _asRole = new();
    private ClientCredentials _staff = null!;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The platform has not started.");

    /// <summary>What the AppHost's mail server received (it keeps each message as a file in the folder named here).</summary>
    public SmtpMailbox Mail { get; }

    public PlatformFixture() => Mail = new SmtpMailbox(Path.Combine(_dataDirectory, "mail"));

    /// <summary>What a variant of the platform adds to the AppHost's arguments.</summary>
    protected virtual IEnumerable<string> MoreArguments => [];

    /// <summary>Every line every resource wrote to its console since the platform started.</summary>
    public ResourceLogs Logs { get; } = new();

    /// <summary>The spans every process of the platform exported, in the place of the dashboard: a flow's whole trace.</summary>
    public TraceCollector Traces { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var invariant = CultureInfo.InvariantCulture;
        string[] args =
        [
            $"Infrastructure:Mode={(TestServers.UseContainers ? "container" : "executable")}",
            $"Infrastructure:DataDirectory={_dataDirectory}",
            $"Infrastructure:PostgresPort={FreePort.Next().ToString(invariant)}",
            $"Infrastructure:RabbitMqPort={FreePort.Next().ToString(invariant)}",
            $"Infrastructure:RabbitMqDistributionPort={FreePort.Next().ToString(invariant)}",
            "Infrastructure:RabbitMqManagementPort=0",
            $"Gateway:Port={FreePort.Next().ToString(invariant)}",
            // The mail server's folder, where the tests read one-time codes and notices.
            $"Mail:Directory={Mail.Directory}",
            $"Mail:Port={FreePort.Next().ToString(invariant)}",
            // The demo-data endpoint.
            "DevelopmentMode=true",
            // A client of the tests' own beside the AppHost's development clients, seeded through the AppHost's configuration.
            $"Identity:Clients:{StaffClient}:Secret={_staffSecret}",
            $"Identity:Clients:{StaffClient}:DisplayName=End-to-end staff",
            $"Identity:Clients:{StaffClient}:Roles:0=privacy-officer",
            $"Identity:Clients:{StaffClient}:Roles:1=register-admin",
            // The console renews the user's access token before every call, so the browser tests prove the renewal with
            // the real provider's rolling refresh tokens instead of waiting ten minutes for a token to expire.
            "Console:RefreshBefore=00:10:00",
            .. MoreArguments,
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Procexon_AppHost>(args);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        Traces = await TraceCollector.StartAsync();
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // After the AppHost's own callbacks: the dashboard's address, which no dashboard answers under test, is replaced.
            project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            {
                foreach (var (key, value) in Traces.ExporterSettings)
                {
                    context.EnvironmentVariables[key] = value;
                }
            }));
        }

        _app = await builder.BuildAsync();
        Logs.Start(_app.Services.GetRequiredService<ResourceNotificationService>(), _app.Services.GetRequiredService<ResourceLoggerService>());
        using var timeout = new CancellationTokenSource(s_startTimeout);
        try
        {
            await _app.StartAsync(timeout.Token);
            await _app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Which resource held the start up, and what it said last: a failed CI run has nothing else to go on.
            throw new TimeoutException($"The platform did not start within {s_startTimeout}. {DescribeResources()}");
        }
        Anonymous = _app.CreateHttpClient("gateway");
        _staff = new ClientCredentials(Anonymous, StaffClient, _staffSecret);
        _clients.Add(_staff);
        Gateway = Authorised("gateway", _staff);
    }

    private string DescribeResources()
    {
        var report = new System.Text.StringBuilder("Resources:");
        foreach (var id in Logs.ResourceIds.Order(StringComparer.Ordinal))
        {
            _app!.ResourceNotifications.TryGetCurrentState(id, out var state);
            var health = state?.Snapshot.HealthStatus?.ToString() ?? "-";
            report.Append(CultureInfo.InvariantCulture, $"\n  {id}: {state?.Snapshot.State?.Text ?? "unknown"} ({health})");
            if (state?.Snapshot.State?.Text != KnownResourceStates.Running || health != "Healthy")
            {
                foreach (var (_, line) in Logs.Lines.Where(l => l.Resource == id).TakeLast(15))
                {
                    report.Append("\n      ").Append(line);
                }
            }
        }

        return report.ToString();
    }

    /// <summary>
    /// The gateway as the AppHost's development client of <paramref name="role"/> (<c>dev-&lt;role&gt;</c>), or of a
    /// processor (<c>processor:&lt;recipient&gt;</c>), with the secret the AppHost generated for it.
    /// </summary>
    public Task<HttpClient> GatewayAs(string role) => _asRole.GetOrAdd(role, async _ =>
    {
        var clientId = role.StartsWith("processor:", StringComparison.Ordinal) ? $"dev-processor-{role["processor:".Length..]}" : $"dev-{role}";
        var secret = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(p => p.Name == $"identity-client-{clientId}-secret");
        var tokens = new ClientCredentials(Anonymous, clientId, await secret.GetValueAsync(CancellationToken.None) ?? "");
        lock (_clients)
        {
            _clients.Add(tokens);
        }

        return Authorised("gateway", tokens);
    });

    /// <summary>The password the AppHost generated for the login page's user of <paramref name="role"/>.</summary>
    public async Task<string> PasswordOfAsync(string role) =>
        await App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(p => p.Name == $"identity-user-{role}-password").GetValueAsync(CancellationToken.None) ?? "";

    /// <summary>An access token of the tests' member of staff, for tests that send it themselves.</summary>
    public Task<string> StaffTokenAsync() => _staff.TokenAsync();

    /// <summary>A resource's own endpoint (not through the gateway) as the tests' member of staff.</summary>
    public HttpClient ServiceAsStaff(string resource) => Authorised(resource, _staff);

    private HttpClient Authorised(string resource, ClientCredentials tokens)
    {
        var client = new HttpClient(new BearerTokens(tokens.TokenAsync))
        {
            BaseAddress = App.GetEndpoint(resource, "http"),
            Timeout = TimeSpan.FromMinutes(2),
        };
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        Anonymous?.Dispose();
        await Logs.DisposeAsync();
        if (Traces is not null)
        {
            await Traces.DisposeAsync();
        }
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "The platform from its AppHost";
}

/// <summary>
/// Collects the console output of every resource (services, gateway, processor, PostgreSQL, RabbitMQ) as Aspire's
/// resource logger service streams it: what an operator sees in the dashboard's console logs.
/// </summary>
public sealed class ResourceLogs : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Resource, string Line)> _lines = new();
    private readonly ConcurrentDictionary<string, Task> _watching = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _resources = Task.CompletedTask;

    public IReadOnlyList<(string Resource, string Line)> Lines => [.. _lines];

    /// <summary>Every resource (and replica) seen so far, by id.</summary>
    public IReadOnlyCollection<string> ResourceIds => [.. _watching.Keys];

    public void Start(ResourceNotificationService notifications, ResourceLoggerService loggers)
    {
        _resources = Task.Run(async () =>
        {
            // Each resource (and replica) gets its own watcher as soon as it appears.
            await foreach (var resource in notifications.WatchAsync(_stop.Token))
            {
                _ = _watching.GetOrAdd(resource.ResourceId, id => Task.Run(async () =>
                {
                    await foreach (var batch in loggers.WatchAsync(id).WithCancellation(_stop.Token))
                    {
                        foreach (var line in batch)
                        {
                            _lines.Enqueue((id, line.Content));
                        }
                    }
                }));
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll([_resources, .. _watching.Values]);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
