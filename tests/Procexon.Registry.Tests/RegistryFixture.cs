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

    public PublishedMessages Seen { get; } = new();

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var broker = RabbitMqServer.StartAsync();
        Postgres = await postgres;
        Broker = await broker;

        Identity = await IdentityProvider.StartAsync(Postgres);

        var registry = ServiceHosts.CreateBuilder(typeof(RegistryContext), new Dictionary<string, string?>(ServiceSettings())
        {
            // Mapped, so that the tests show it is closed to anyone but a register admin, not merely absent.
            [Procexon.Registry.Apis.DemoDataApi.EnabledSetting] = "true",
            // Registers another replica adds are picked up within this (RegisterAddedAtRunTimeTests).
            ["Registry:RegisterQueueCheckInterval"] = "00:00:01",
        }, Identity);
        registry.AddApplicationServices();
        Registry = await registry.StartAsync(app => app.MapRegistryApis());
        Anonymous = NewClient();

        Probe = await TestBus.StartProbeAsync(Broker, "registry-probe", Seen,
            typeof(ErasureScopeResolved), typeof(ErasureCompleted), typeof(RetainedDataErased), typeof(SubjectRightScopeResolved),
            typeof(RegisterRightCompleted), typeof(RestrictionLifted), typeof(SubjectsMerged), typeof(HeldDataErased));
    }

    /// <summary>Every register's answer to an erasure the Registry published, whether with the scope or in an event of its own.</summary>
    public IReadOnlyList<RegisterErasureOutcome> RegisterOutcomes() =>
        [.. Seen.All<ErasureScopeResolved>().SelectMany(e => e.Answered ?? []), .. Seen.All<ErasureCompleted>().SelectMany(e => e.Registers)];

    /// <summary>What the Registry needs to start on <paramref name="database"/> of the fixture's servers, with these keys (a null key is missing).</summary>
    public Dictionary<string, string?> ServiceSettings(
        string database = "registrydb", string? identifierKey = IdentifierKey, string? encryptionKey = EncryptionKey) => new()
        {
            ["ConnectionStrings:registrydb"] = Postgres.ConnectionString(database),
            ["ConnectionStrings:messaging"] = Broker.Uri.ToString(),
            ["Registry:SuppressionKey"] = "a-test-key-that-is-long-enough-for-hmac",
            ["Registry:IdentifierKey"] = identifierKey,
            ["Registry:IdentifierEncryptionKey"] = encryptionKey,
            ["Messaging:TransitKey"] = ServiceHosts.TransitKey,
        };

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

        await TestBus.StopAsync(Probe, Registry, Identity, Broker, Postgres);
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

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "Registry on real PostgreSQL and RabbitMQ";
}
