using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Procexon.Contracts;
using Procexon.Retention.Apis;
using Procexon.Retention.Extensions;
using Procexon.Retention.Infrastructure;
using Procexon.Retention.Model;
using Procexon.ServiceDefaults.Security;
using Procexon.Testing;

namespace Procexon.Retention.Tests;

/// <summary>
/// Real PostgreSQL and RabbitMQ, started once for the collection; the Retention service on them, listening on a free
/// port with a fake clock; and a stand-in for the Registry on the same broker, which answers erasure requests and
/// records the erasure orders Retention sends it. The platform's identity provider on the same PostgreSQL server issues
/// the tokens: <see cref="Http"/> reads as a privacy officer, <see cref="Admin"/> runs sweeps as a register admin.
/// </summary>
public sealed class RetentionFixture : IAsyncLifetime
{
    public static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);

    public PostgresServer Postgres { get; private set; } = null!;

    public RabbitMqServer Broker { get; private set; } = null!;

    /// <summary>The service's only clock. It starts on a winter morning (Helsinki is UTC+2) and never moves by itself.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    public WebApplication Retention { get; private set; } = null!;

    public IdentityProvider Identity { get; private set; } = null!;

    /// <summary>A privacy officer: reads rules and holds.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>A register admin: runs sweeps.</summary>
    public HttpClient Admin { get; private set; } = null!;

    /// <summary>No token at all.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public IHost Registry { get; private set; } = null!;

    /// <summary>Every message Retention's consumers finished with (handled or dropped as a duplicate).</summary>
    public ConsumedMessages Consumed { get; } = new();

    /// <summary>The <see cref="RetentionPeriodEnded"/> events the Registry stand-in received.</summary>
    public ErasureOrders ErasureOrders { get; } = new();

    /// <summary>The <see cref="LegalHoldPlaced"/> and <see cref="LegalHoldLifted"/> events the Registry stand-in received.</summary>
    public LegalHoldNotices LegalHoldNotices { get; } = new();

    public ScheduledSweeps ScheduledSweeps => Retention.Services.GetRequiredService<ScheduledSweeps>();

    public TimeSpan SweepInterval => Retention.Services.GetRequiredService<IOptions<SweepOptions>>().Value.SweepInterval;

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var broker = RabbitMqServer.StartAsync();
        Postgres = await postgres;
        Broker = await broker;
        Identity = await IdentityProvider.StartAsync(Postgres);

        // The stand-in's queue must be bound before Retention's outbox publishes anything to it.
        Registry = await StartRegistryStandInAsync();

        var builder = ServiceHosts.CreateBuilder(typeof(LegalHoldsApi), new Dictionary<string, string?>
        {
            ["ConnectionStrings:retentiondb"] = Postgres.ConnectionString("retentiondb"),
            ["ConnectionStrings:messaging"] = Broker.Uri.ToString(),
            ["Outbox:PublishTimeout"] = "00:00:05",
            ["Outbox:MaxBackoff"] = "00:00:01",
        }, Identity, Clock);
        builder.AddApplicationServices();
        var app = await builder.StartAsync(api =>
        {
            api.MapRetentionRulesApi();
            api.MapLegalHoldsApi();
            api.MapPlacedLegalHoldsApi();
            api.MapRetentionSweepsApi();
        });
        Retention = app;
        app.Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
        Http = ClientOf(PlatformRoles.PrivacyOfficer);
        Admin = ClientOf(PlatformRoles.RegisterAdmin);
        Anonymous = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };

        // The sweep at start has run, so the next scheduled one waits on the fake clock.
        if (!await EventuallyAsync(() => Task.FromResult(ScheduledSweeps.LastSweep is not null), Delivery))
        {
            throw new InvalidOperationException("The sweep at start did not run.");
        }
    }

    /// <summary>A client of the service that carries a token of a seeded client with <paramref name="role"/>.</summary>
    public HttpClient ClientOf(string role) =>
        new(new BearerTokens(() => Identity.AccessTokenAsync(role)))
        {
            BaseAddress = new Uri(Retention.Urls.First()),
            Timeout = TimeSpan.FromSeconds(30),
        };

    private Task<IHost> StartRegistryStandInAsync() => TestBus.StartAsync(Broker, "registry-stand-in",
        bus =>
        {
            bus.AddConsumer<TakeErasureOrder>();
            bus.AddConsumer<TakeLegalHoldPlaced>();
            bus.AddConsumer<TakeLegalHoldLifted>();
        },
        services => services.AddSingleton(ErasureOrders).AddSingleton(LegalHoldNotices));

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        Admin?.Dispose();
        Anonymous?.Dispose();
        await TestBus.StopAsync(Retention, Registry, Identity, Broker, Postgres);
    }

    /// <summary>The Finnish calendar day on the service's clock.</summary>
    public DateOnly Today => FinnishCalendar.Today(Clock);

    /// <summary>
    /// Publishes a register's answer as the Registry does and waits until Retention has consumed it: in the erasure's
    /// scope, as a register erased with the scope answers, or on its own, as a register retried on its own queue does.
    /// </summary>
    public async Task<Guid> AnswerAsync(RegisterErasureOutcome answer, Guid? messageId = null, bool fromItsOwnQueue = false)
    {
        var id = messageId ?? Guid.NewGuid();
        var before = Consumed.TimesConsumed(id);
        var bus = Registry.Services.GetRequiredService<IBus>();
        if (fromItsOwnQueue)
        {
            await bus.Publish(new ErasureCompleted(answer.RequestId, [answer]), context => context.MessageId = id);
        }
        else
        {
            var register = new RegisterName(answer.Register, answer.RegisterName);
            var subjects = answer.Retained.Select(r => r.SubjectId).Distinct().ToList();
            await bus.Publish(new ErasureScopeResolved(answer.RequestId, subjects, [register], [], [answer]), context => context.MessageId = id);
        }

        await Consumed.WaitUntilConsumedAsync(id, before + 1, Delivery);
        return id;
    }

    /// <summary>Publishes <see cref="RetainedDataErased"/> as the Registry does and waits until Retention has consumed it.</summary>
    public async Task ReportErasedAsync(RetainedDataErased erased)
    {
        var id = Guid.NewGuid();
        await Registry.Services.GetRequiredService<IBus>().Publish(erased, context => context.MessageId = id);
        await Consumed.WaitUntilConsumedAsync(id, 1, Delivery);
    }

    /// <summary>Publishes <see cref="HeldDataErased"/> as the Registry does, under the given message id, and waits until Retention has consumed it.</summary>
    public async Task ReportHeldDataErasedAsync(HeldDataErased erased, Guid messageId)
    {
        var before = Consumed.TimesConsumed(messageId);
        await Registry.Services.GetRequiredService<IBus>().Publish(erased, context => context.MessageId = messageId);
        await Consumed.WaitUntilConsumedAsync(messageId, before + 1, Delivery);
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Retention.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<List<LegalHold>> HoldsOfRequestAsync(Guid requestId) => InScopeAsync(services =>
        services.GetRequiredService<RetentionContext>().LegalHolds.AsNoTracking()
            .Where(h => h.RequestId == requestId).OrderBy(h => h.RetainUntil).ThenBy(h => h.Category).ToListAsync());

    public Task<LegalHold> HoldAsync(Guid holdId) => InScopeAsync(services =>
        services.GetRequiredService<RetentionContext>().LegalHolds.AsNoTracking().SingleAsync(h => h.Id == holdId));

    /// <summary>Erasure orders for the hold still waiting in Retention's outbox.</summary>
    public Task<int> OutboxRowsOfAsync(Guid holdId) => InScopeAsync(services =>
        services.GetRequiredService<RetentionContext>().Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE payload->>'holdId' = {holdId.ToString()}")
            .SingleAsync());

    public Task<int> SweepNowAsync() => InScopeAsync(services =>
        services.GetRequiredService<RetentionSweep>().ReleaseDueHoldsAsync(CancellationToken.None));

    /// <summary>Polls until the condition holds; false if it still does not after the timeout.</summary>
    public static Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout) => Eventually.EventuallyAsync(condition, timeout);
}

[CollectionDefinition(Name)]
public sealed class RetentionCollection : ICollectionFixture<RetentionFixture>
{
    public const string Name = "Retention on real PostgreSQL and RabbitMQ";
}

/// <summary>What the Registry stand-in was told to erase, per hold.</summary>
public sealed class ErasureOrders
{
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<RetentionPeriodEnded>> _orders = new();

    public IReadOnlyList<RetentionPeriodEnded> For(Guid holdId) =>
        _orders.TryGetValue(holdId, out var orders) ? [.. orders] : [];

    public void Add(RetentionPeriodEnded order) => _orders.GetOrAdd(order.HoldId, _ => new()).Enqueue(order);
}

/// <summary>The Registry's side of a released hold: it would erase the data now. Here it only takes note.</summary>
public sealed class TakeErasureOrder(ErasureOrders orders) : IConsumer<RetentionPeriodEnded>
{
    public Task Consume(ConsumeContext<RetentionPeriodEnded> context)
    {
        orders.Add(context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>What the Registry stand-in heard of legal holds placed by people, per hold.</summary>
public sealed class LegalHoldNotices
{
    private readonly ConcurrentQueue<LegalHoldPlaced> _placed = new();
    private readonly ConcurrentQueue<LegalHoldLifted> _lifted = new();

    public IReadOnlyList<LegalHoldPlaced> PlacedOf(Guid holdId) => [.. _placed.Where(p => p.HoldId == holdId)];

    public IReadOnlyList<LegalHoldLifted> LiftedOf(Guid holdId) => [.. _lifted.Where(l => l.HoldId == holdId)];

    public void Add(LegalHoldPlaced placed) => _placed.Enqueue(placed);

    public void Add(LegalHoldLifted lifted) => _lifted.Enqueue(lifted);
}

public sealed class TakeLegalHoldPlaced(LegalHoldNotices notices) : IConsumer<LegalHoldPlaced>
{
    public Task Consume(ConsumeContext<LegalHoldPlaced> context)
    {
        notices.Add(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class TakeLegalHoldLifted(LegalHoldNotices notices) : IConsumer<LegalHoldLifted>
{
    public Task Consume(ConsumeContext<LegalHoldLifted> context)
    {
        notices.Add(context.Message);
        return Task.CompletedTask;
    }
}
