using System.Globalization;
using Aspire.Hosting;
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
        using var timeout = new CancellationTokenSource(s_startTimeout);
        await _app.StartAsync(timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);
        Gateway = _app.CreateHttpClient("gateway");
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
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
