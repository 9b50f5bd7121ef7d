using System.Globalization;
using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Procexon.Testing;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The whole platform started from the AppHost, once for the collection: real PostgreSQL and RabbitMQ (local servers
/// on free ports in a temporary folder where no container engine answers), every service, the gateway. Tests speak
/// only to the gateway.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDirectory = TestServers.CreateTemporaryDirectory("e2e");
    private DistributedApplication? _app;

    public HttpClient Gateway { get; private set; } = null!;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The platform has not started.");

    /// <summary>Every line every resource wrote to its console since the platform started.</summary>
    public ResourceLogs Logs { get; } = new();

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
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Procexon_AppHost>(args);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        _app = await builder.BuildAsync();
        Logs.Start(_app.Services.GetRequiredService<ResourceNotificationService>(), _app.Services.GetRequiredService<ResourceLoggerService>());
        using var timeout = new CancellationTokenSource(s_startTimeout);
        await _app.StartAsync(timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
        Gateway = _app.CreateHttpClient("gateway");
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        await Logs.DisposeAsync();
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
