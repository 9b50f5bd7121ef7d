using System.Collections.Concurrent;
using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Procexon.Contracts;
using Procexon.Registry.Extensions;
using Procexon.Registry.Infrastructure;
using Procexon.ServiceDefaults.Security;
using Procexon.Testing;

namespace Procexon.Registry.Tests;

/// <summary>
/// The Registry service over HTTP on 127.0.0.1 on real PostgreSQL and RabbitMQ, its callers' tokens from the platform's
/// real identity provider, and a probe: a second bus that sends the Registry commands and records every event it publishes.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public const string IdentifierKey = "test-identifier-key-0123456789abcdef";

    private static readonly SubjectKeyHasher s_hasher = new(IdentifierKey);

    /// <summary>The subject as RightsRequests sends it: hashed with the registry's lookup key.</summary>
    public static SubjectKeyHashes Hashes(SubjectKeys keys) => s_hasher.HashesOf(keys);
    public const string EncryptionKey = "test-encryption-key-0123456789abcdef-0123";

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new();

    public PostgresServer Postgres { get; private set; } = null!;

    public RabbitMqServer Broker { get; private set; } = null!;

    public IdentityProvider Identity { get; private set; } = null!;

    public WebApplication Registry { get; private set; } = null!;

    /// <summary>A client without a token.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public IHost Probe { get; private set; } = null!;

    public Probe Seen { get; } = new();

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var broker = RabbitMqServer.StartAsync();
        Postgres = await postgres;
        Broker = await broker;

        Identity = await IdentityProvider.StartAsync(Postgres);

        var registry = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(RegistryContext).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        registry.WebHost.UseUrls("http://127.0.0.1:0");
        registry.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:registrydb"] = Postgres.ConnectionString("registrydb"),
            ["ConnectionStrings:messaging"] = Broker.Uri.ToString(),
            ["Registry:SuppressionKey"] = "a-test-key-that-is-long-enough-for-hmac",
            ["Registry:IdentifierKey"] = IdentifierKey,
            ["Registry:IdentifierEncryptionKey"] = EncryptionKey,
            // Mapped, so that the tests show it is closed to anyone but a register admin, not merely absent.
            [Procexon.Registry.Apis.DemoDataApi.EnabledSetting] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            // Registers another replica adds are picked up within this (RegisterAddedAtRunTimeTests).
            ["Registry:RegisterQueueCheckInterval"] = "00:00:01",
        });
        registry.Configuration.AddInMemoryCollection(Identity.ValidationSettings);
        registry.AddServiceDefaults();
        registry.AddApplicationServices();
        registry.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        var app = registry.Build();
        // As Program.cs: authentication before every endpoint.
        app.UseDefaultAuthentication();
        app.MapDefaultEndpoints();
        app.MapRegistryApis();
        Registry = app;
        await Registry.StartAsync();
        Anonymous = NewClient();

        var probe = Host.CreateApplicationBuilder();
        probe.Services.AddSingleton(Seen);
        probe.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter("registry-probe", includeNamespace: false));
            bus.AddConsumer<Probe.Recorder<ErasureScopeResolved>>();
            bus.AddConsumer<Probe.Recorder<RegisterErasureCompleted>>();
            bus.AddConsumer<Probe.Recorder<RetainedDataErased>>();
            bus.AddConsumer<Probe.Recorder<SubjectRightScopeResolved>>();
            bus.AddConsumer<Probe.Recorder<RegisterRightCompleted>>();
            bus.AddConsumer<Probe.Recorder<RestrictionLifted>>();
            bus.AddConsumer<Probe.Recorder<SubjectsMerged>>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(Broker.Uri);
                rabbit.ConfigureEndpoints(context);
            });
        });
        probe.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        Probe = probe.Build();
        await Probe.StartAsync();
    }

    /// <summary>A client carrying a client-credentials token of <paramref name="role"/> (the client <c>test-&lt;role&gt;</c>).</summary>
    public async Task<HttpClient> AsAsync(string role)
    {
        var token = await Identity.AccessTokenAsync(role);
        var client = _clients.GetOrAdd(role, _ => NewClient());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task DisposeAsync()
    {
        Anonymous?.Dispose();
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        if (Probe is not null)
        {
            await Probe.StopAsync();
            Probe.Dispose();
        }

        if (Registry is not null)
        {
            await Registry.StopAsync();
            await Registry.DisposeAsync();
        }

        if (Identity is not null)
        {
            await Identity.DisposeAsync();
        }

        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }

    public async Task<T> InDatabaseAsync<T>(Func<RegistryContext, Task<T>> work)
    {
        await using var scope = Registry.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<RegistryContext>());
    }

    public Task<int> CountAsync(Func<RegistryContext, IQueryable<object>> query) => InDatabaseAsync(db => query(db).CountAsync());

    /// <summary>
    /// How many of the subjects are still there once their removal had <paramref name="within"/> to happen: a register
    /// removes the subjects it left without records just AFTER its answer is committed (and may be published), so a
    /// test that saw the answer waits for the removal too, and fails with the count if it never comes.
    /// </summary>
    public async Task<int> SubjectsLeftAsync(IReadOnlyCollection<Guid> subjectIds, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var left = await CountAsync(db => db.Subjects.Where(s => subjectIds.Contains(s.Id)));
            if (left == 0 || DateTime.UtcNow >= deadline)
            {
                return left;
            }

            await Task.Delay(50);
        }
    }

    private HttpClient NewClient() => new() { BaseAddress = new Uri(Registry.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
}

/// <summary>Everything the Registry published that the probe saw.</summary>
public sealed class Probe
{
    private readonly ConcurrentQueue<object> _messages = new();

    public IReadOnlyList<T> All<T>() => [.. _messages.OfType<T>()];

    public sealed class Recorder<T>(Probe probe) : IConsumer<T> where T : class
    {
        public Task Consume(ConsumeContext<T> context)
        {
            probe._messages.Enqueue(context.Message);
            return Task.CompletedTask;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "Registry on real PostgreSQL and RabbitMQ";
}
