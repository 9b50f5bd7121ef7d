using System.Collections.Concurrent;
using System.Security.Claims;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Procexon.Contracts;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Extensions;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.Messaging;
using Procexon.Messaging.Outbox;
using Procexon.Processors.AccountingFirm.Apis;
using Procexon.Processors.AccountingFirm.Infrastructure;
using Procexon.ServiceDefaults.Security;
using Procexon.Testing;
using AccountingFirmExtensions = Procexon.Processors.AccountingFirm.Extensions.Extensions;

namespace Procexon.DisclosureLog.Tests;

/// <summary>
/// Real PostgreSQL and RabbitMQ, started once for the collection, with two processes' worth of hosts on them: the
/// disclosure log (on a fake clock, with a consumer that captures what it publishes and a probe queue that gets a copy
/// of what is sent to the accounting firm's own queue) and the accounting firm, each listening on a free port behind
/// bearer tokens from the platform's identity provider on the same PostgreSQL server.
/// </summary>
public sealed class DisclosureLogFixture : IAsyncLifetime
{
    public static readonly TimeSpan Delivery = TimeSpan.FromSeconds(30);

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    /// <summary>What the disclosure log and the firm publish, and a copy of what is sent to <see cref="FirmQueue"/>.</summary>
    public CapturedEvents Captured { get; } = new();

    /// <summary>Recipients' events that reached a publish exchange: none should, they are sent to each recipient's queue.</summary>
    public CapturedEvents PublishedRecipientEvents { get; } = new();

    public static string FirmQueue { get; } = RecipientQueues.Of("accounting-firm");

    /// <summary>The disclosure log's <see cref="DisclosureLogProtection.KeySetting"/> in every test host.</summary>
    public const string EncryptionKey = "test-disclosurelog-encryption-key-0123456789";

    public const string Published = "published";

    /// <summary>The gateway's public address the test hosts are given (<see cref="Model.PublicAddress.Setting"/>).</summary>
    public const string PublicAddress = "https://tietosuoja.example";

    /// <summary>Where the webhook events' schemas are published, as the service resolves it.</summary>
    public Model.PublicAddress Schemas => DisclosureLog.Services.GetRequiredService<Model.PublicAddress>();

    public ConsumedMessages Consumed { get; } = new();

    /// <summary>What the accounting firm's consumers finished, apart: both hosts consume some of the same messages.</summary>
    public ConsumedMessages FirmConsumed { get; } = new();

    public PostgresServer Postgres { get; private set; } = null!;

    public RabbitMqServer Broker { get; private set; } = null!;

    public IdentityProvider Identity { get; private set; } = null!;

    public WebApplication DisclosureLog { get; private set; } = null!;

    public WebApplication AccountingFirm { get; private set; } = null!;

    /// <summary>
    /// The caller that tests calling handlers directly act as: a privacy officer, recorded as <see cref="StaffActor"/>.
    /// </summary>
    public static ClaimsPrincipal Staff { get; } = new(new ClaimsIdentity(
        [new(PlatformClaims.Subject, "u1"), new(PlatformClaims.Name, "Anna"), new(PlatformClaims.Role, PlatformRoles.PrivacyOfficer)],
        "test", PlatformClaims.Name, PlatformClaims.Role));

    public const string StaffActor = "Anna (u1)";

    public IBus Bus => DisclosureLog.Services.GetRequiredService<IBus>();

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var broker = RabbitMqServer.StartAsync();
        Postgres = await postgres;
        Broker = await broker;
        Identity = await IdentityProvider.StartAsync(Postgres);

        DisclosureLog = BuildDisclosureLog();
        AccountingFirm = BuildAccountingFirm();
        await Task.WhenAll(DisclosureLog.StartAsync(), AccountingFirm.StartAsync());
        AccountingFirm.Services.GetRequiredService<IBus>().ConnectConsumeObserver(FirmConsumed);
    }

    /// <summary>A client of the disclosure log with a token of a seeded client with <paramref name="role"/>.</summary>
    public HttpClient DisclosureLogClient(string role) => ClientOf(DisclosureLog, () => Identity.AccessTokenAsync(role));

    /// <summary>A client of the disclosure log with the processor token of <paramref name="recipient"/>.</summary>
    public HttpClient ProcessorClient(string recipient) => ClientOf(DisclosureLog, () => Identity.ProcessorTokenAsync(recipient));

    /// <summary>A client of <paramref name="app"/>, with a bearer token or, without one, anonymous.</summary>
    public static HttpClient ClientOf(WebApplication app, Func<Task<string>>? token = null) =>
        new(token is null ? new HttpClientHandler() : new BearerTokens(token))
        {
            BaseAddress = new Uri(app.Urls.First()),
            Timeout = TimeSpan.FromSeconds(30),
        };

    private WebApplication BuildDisclosureLog()
    {
        var builder = ServiceHosts.CreateBuilder(typeof(DisclosuresApi), new Dictionary<string, string?>
        {
            ["ConnectionStrings:disclosurelogdb"] = Postgres.ConnectionString("disclosurelogdb"),
            ["ConnectionStrings:messaging"] = Broker.Uri.ToString(),
            ["DisclosureLog:ConfirmWithin"] = "7.00:00:00",
            [DisclosureLogProtection.KeySetting] = EncryptionKey,
            [Model.PublicAddress.Setting] = PublicAddress,
        }, Identity, Clock);
        builder.AddDefaultAuthentication();
        builder.AddDisclosureLogDatabase();
        builder.AddErasureNoticeTracking();
        builder.Services.AddSingleton(Captured);
        builder.Services.AddKeyedSingleton(Published, PublishedRecipientEvents);
        builder.AddServiceMessaging<DisclosureLogContext>("disclosurelog", bus =>
        {
            bus.AddDisclosureLogConsumers();
            bus.AddConsumer<CaptureEvents>();
            bus.AddConsumer<CaptureRectificationEvents>();
            bus.AddConsumer<CapturePublishedRecipientEvents>();
            bus.AddConsumeObserver(_ => Consumed);
        }, (context, rabbit) =>
        {
            // The processors' confirmation queue, as the service declares it.
            Procexon.DisclosureLog.IntegrationEvents.ProcessorConfirmations.Configure(context, rabbit);
            // Its own queue bound to the firm's exchange: a copy of each message the firm's queue gets, none taken from it.
            rabbit.ReceiveEndpoint("disclosurelog-probe-" + FirmQueue, endpoint =>
            {
                endpoint.ConfigureConsumeTopology = false;
                endpoint.Bind(FirmQueue);
                endpoint.Consumer(() => new CaptureRecipientQueue(Captured));
            });
            // And a copy of what the firm confirms through its own exchange.
            var firmConfirmations = RecipientQueues.ConfirmationsOf("accounting-firm");
            rabbit.ReceiveEndpoint("disclosurelog-probe-" + firmConfirmations, endpoint =>
            {
                endpoint.ConfigureConsumeTopology = false;
                endpoint.Bind(firmConfirmations);
                endpoint.Consumer(() => new CaptureEvents(Captured));
            });
        });
        return builder.Build(api =>
        {
            api.MapRecipientsApi();
            api.MapRecipientChannelsApi();
            api.MapDisclosuresApi();
            api.MapErasureNotificationsApi();
            api.MapRectificationNotificationsApi();
            api.MapRestrictionNotificationsApi();
        });
    }

    private WebApplication BuildAccountingFirm()
    {
        var builder = ServiceHosts.CreateBuilder(typeof(ClientRecordsApi), new Dictionary<string, string?>
        {
            ["ConnectionStrings:accountingfirmdb"] = Postgres.ConnectionString("accountingfirmdb"),
            ["AccountingFirm:IdentifierKey"] = "test-accounting-firm-identifier-key-0123456789",
            ["ConnectionStrings:messaging"] = Broker.Uri.ToString(),
        }, Identity);
        AccountingFirmExtensions.AddApplicationServices(builder);
        return builder.Build(api => api.MapClientRecordsApi());
    }

    public Task DisposeAsync() => TestBus.StopAsync(DisclosureLog, AccountingFirm, Identity, Broker, Postgres);

    /// <summary>Sends to the accounting firm's own queue, as the disclosure log's outbox does.</summary>
    public async Task SendToFirmAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var endpoint = await Bus.GetSendEndpoint(new Uri($"exchange:{FirmQueue}"));
        await endpoint.Send(message, context => context.MessageId = messageId ?? context.MessageId);
    }

    /// <summary>Sends a confirmation through <paramref name="recipient"/>'s own confirmation exchange, as its processor does.</summary>
    public async Task ConfirmAsAsync<T>(string recipient, T confirmation, Guid? messageId = null) where T : class
    {
        var endpoint = await Bus.GetSendEndpoint(new Uri($"exchange:{RecipientQueues.ConfirmationsOf(recipient)}"));
        await endpoint.Send(confirmation, context => context.MessageId = messageId ?? context.MessageId);
    }

    /// <summary>Whether the broker has a queue named <paramref name="queue"/>, and how many messages wait in it.</summary>
    public async Task<uint?> MessagesWaitingInAsync(string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = Broker.Uri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // 404: the passive declare closes the channel, so nothing else is asked on it.
            return null;
        }
    }

    /// <summary>Runs work in a scope of the disclosure log, as a request or a consumer would.</summary>
    public async Task<T> InDisclosureLogAsync<T>(Func<DisclosureLogContext, IEventOutbox, Task<T>> work)
    {
        await using var scope = DisclosureLog.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<DisclosureLogContext>(), scope.ServiceProvider.GetRequiredService<IEventOutbox>());
    }

    public async Task<T> InAccountingFirmAsync<T>(Func<AccountingFirmContext, Task<T>> work)
    {
        await using var scope = AccountingFirm.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AccountingFirmContext>());
    }

    /// <summary>Polls until the condition holds; false if it still does not after the timeout.</summary>
    public static Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null) => Eventually.EventuallyAsync(condition, timeout ?? Delivery);

    public static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? timeout = null) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout);
}

[CollectionDefinition(Name)]
public sealed class DisclosureLogCollection : ICollectionFixture<DisclosureLogFixture>
{
    public const string Name = "Disclosure log on real PostgreSQL and RabbitMQ";
}

/// <summary>Everything the capturing consumer saw, in arrival order.</summary>
public sealed class CapturedEvents
{
    private readonly ConcurrentQueue<object> _events = new();

    public void Add(object message) => _events.Enqueue(message);

    public IReadOnlyList<T> Of<T>(Func<T, bool>? where = null) => [.. _events.OfType<T>().Where(where ?? (_ => true))];
}

/// <summary>Stands in for RightsRequests: records what the disclosure log and the firm publish.</summary>
public sealed class CaptureEvents(CapturedEvents captured)
    : IConsumer<RecipientsNotified>,
      IConsumer<RecipientConfirmedErasure>,
      IConsumer<ProcessorConfirmedErasure>,
      IConsumer<RecipientConfirmedNotice>,
      IConsumer<ProcessorConfirmedNotice>
{
    public Task Consume(ConsumeContext<RecipientsNotified> context) => Capture(context.Message);

    public Task Consume(ConsumeContext<RecipientConfirmedErasure> context) => Capture(context.Message);

    public Task Consume(ConsumeContext<ProcessorConfirmedErasure> context) => Capture(context.Message);

    public Task Consume(ConsumeContext<RecipientConfirmedNotice> context) => Capture(context.Message);

    public Task Consume(ConsumeContext<ProcessorConfirmedNotice> context) => Capture(context.Message);

    private Task Capture(object message)
    {
        captured.Add(message);
        return Task.CompletedTask;
    }
}

/// <summary>Records the recipients' events it gets: from a recipient's queue, or, registered as usual, from publishes.</summary>
public abstract class CaptureRecipientEvents(CapturedEvents captured)
    : IConsumer<DataDisclosed>,
      IConsumer<ErasureNoticeSent>,
      IConsumer<RectificationNoticeSent>,
      IConsumer<RestrictionNoticeSent>,
      IConsumer<RestrictionLiftedNoticeSent>
{
    public Task Consume(ConsumeContext<DataDisclosed> context) => Capture(context.Message);

    public Task Consume(ConsumeContext<ErasureNoticeSent> context) => Capture(context.Message);

    public Task Consume(ConsumeContext<RectificationNoticeSent> context) => Capture(context.Message);

    public Task Consume(ConsumeContext<RestrictionNoticeSent> context) => Capture(context.Message);

    public Task Consume(ConsumeContext<RestrictionLiftedNoticeSent> context) => Capture(context.Message);

    private Task Capture(object message)
    {
        captured.Add(message);
        return Task.CompletedTask;
    }
}

/// <summary>Copies of what the accounting firm's queue gets, into <see cref="DisclosureLogFixture.Captured"/>.</summary>
public sealed class CaptureRecipientQueue(CapturedEvents captured) : CaptureRecipientEvents(captured);

/// <summary>Bound to the events' publish exchanges, so it hears any recipient event that is published instead of sent.</summary>
public sealed class CapturePublishedRecipientEvents([FromKeyedServices(DisclosureLogFixture.Published)] CapturedEvents captured)
    : CaptureRecipientEvents(captured);

