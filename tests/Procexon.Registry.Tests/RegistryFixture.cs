using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Procexon.Contracts;
using Procexon.Registry.Extensions;
using Procexon.Registry.Infrastructure;
using Procexon.Testing;

namespace Procexon.Registry.Tests;

/// <summary>
/// The Registry's application services on real PostgreSQL and RabbitMQ, and a probe: a second bus that sends the
/// Registry commands and records every event it publishes.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public const string IdentifierKey = "test-identifier-key-0123456789abcdef";
    public const string HetuKey = "test-hetu-key-0123456789abcdef-0123";

    public PostgresServer Postgres { get; private set; } = null!;

    public RabbitMqServer Broker { get; private set; } = null!;

    public IHost Registry { get; private set; } = null!;

    public IHost Probe { get; private set; } = null!;

    public Probe Seen { get; } = new();

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var broker = RabbitMqServer.StartAsync();
        Postgres = await postgres;
        Broker = await broker;

        var registry = Host.CreateApplicationBuilder();
        registry.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:registrydb"] = Postgres.ConnectionString("registrydb"),
            ["ConnectionStrings:messaging"] = Broker.Uri.ToString(),
            ["Registry:SuppressionKey"] = "a-test-key-that-is-long-enough-for-hmac",
            ["Registry:IdentifierKey"] = IdentifierKey,
            ["Registry:HetuKey"] = HetuKey,
        });
        registry.AddApplicationServices();
        registry.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        Registry = registry.Build();
        await Registry.StartAsync();

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

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { Probe, Registry })
        {
            if (host is not null)
            {
                await host.StopAsync();
                host.Dispose();
            }
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
