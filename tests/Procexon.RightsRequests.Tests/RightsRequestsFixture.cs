using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Procexon.Contracts;
using Procexon.RightsRequests.Extensions;
using Procexon.RightsRequests.Infrastructure;
using Procexon.Testing;

namespace Procexon.RightsRequests.Tests;

/// <summary>
/// RightsRequests' application services on real PostgreSQL and RabbitMQ, and a probe bus that publishes the other
/// services' answers to it and records what it publishes.
/// </summary>
public sealed class RightsRequestsFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public RabbitMqServer Broker { get; private set; } = null!;

    public IHost Service { get; private set; } = null!;

    public IHost Probe { get; private set; } = null!;

    public PublishedMessages Seen { get; } = new();

    /// <summary>A fresh key per fixture, as the AppHost generates one: requesters' identifiers are encrypted under it.</summary>
    public string IdentifierKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var broker = RabbitMqServer.StartAsync();
        Postgres = await postgres;
        Broker = await broker;

        var service = Host.CreateApplicationBuilder();
        service.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rightsrequestsdb"] = Postgres.ConnectionString("rightsrequestsdb"),
            ["ConnectionStrings:messaging"] = Broker.Uri.ToString(),
            ["RightsRequests:IdentifierKey"] = IdentifierKey,
            ["RightsRequests:SubjectLookupKey"] = "a-subject-lookup-key-of-at-least-32-characters",
            ["Messaging:TransitKey"] = ServiceHosts.TransitKey,
            // The service requires an authority to start; this host serves no HTTP, so no token is ever validated.
            ["Authentication:Authority"] = "http://127.0.0.1:9/",
        });
        service.AddApplicationServices();
        service.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        Service = service.Build();
        await Service.StartAsync();

        Probe = await TestBus.StartProbeAsync(Broker, "rightsrequests-probe", Seen, typeof(RightsRequestCompleted), typeof(SubjectRightRequested));
    }

    public Task DisposeAsync() => TestBus.StopAsync(Probe, Service, Broker, Postgres);

    public async Task<T> InDatabaseAsync<T>(Func<RightsRequestsContext, Task<T>> work)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<RightsRequestsContext>());
    }

    public Task<int> CountAsync(Func<RightsRequestsContext, IQueryable<object>> query) => InDatabaseAsync(db => query(db).CountAsync());
}

[CollectionDefinition(Name)]
public sealed class RightsRequestsCollection : ICollectionFixture<RightsRequestsFixture>
{
    public const string Name = "RightsRequests on real PostgreSQL and RabbitMQ";
}
