using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Procexon.Contracts;
using Procexon.RightsRequests.Apis;
using Procexon.RightsRequests.Extensions;
using Procexon.RightsRequests.Infrastructure;
using Procexon.RightsRequests.Model;
using Procexon.ServiceDefaults.Security;
using Procexon.Testing;

namespace Procexon.RightsRequests.Tests;

/// <summary>
/// The RightsRequests service on real PostgreSQL and RabbitMQ, started once for the collection, mailing subjects through
/// the platform's real SMTP server (<see cref="Mail"/> reads what it received), with a fake clock, validating tokens of
/// the platform's real identity provider.
/// <see cref="Http"/> acts as the privacy officer (every request policy); <see cref="Anonymous"/> is the public;
/// <see cref="As"/> any other role.
/// </summary>
public sealed class LifecycleFixture : IAsyncLifetime
{
    /// <summary>
    /// The service's only clock: 31 January 2028, 10:00 in Finland, in a leap year. Tests move it forward by minutes
    /// at most, so every test may rely on "today" being that day; the sweep test moves a clock of its own.
    /// </summary>
    public static readonly DateTimeOffset Start = new(2028, 1, 31, 8, 0, 0, TimeSpan.Zero);

    public static readonly DateOnly Today = new(2028, 1, 31);

    public PostgresServer Postgres { get; private set; } = null!;

    public RabbitMqServer Broker { get; private set; } = null!;

    /// <summary>The SMTP server the service sends subjects' mail to.</summary>
    public SmtpServer Smtp { get; private set; } = null!;

    /// <summary>What <see cref="Smtp"/> received.</summary>
    public SmtpMailbox Mail => Smtp.Mailbox;

    public IdentityProvider Identity { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(Start);

    public WebApplication Service { get; private set; } = null!;

    /// <summary>The privacy officer: may read, handle and decide requests, read answers, exports and the audit trail.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>No token: the public.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>What the audit trail records for <see cref="Http"/>'s caller.</summary>
    public string OfficerActor { get; private set; } = null!;

    private readonly Dictionary<string, HttpClient> _clients = [];

    public string ConnectionString => Postgres.ConnectionString("rightsrequestsdb");

    /// <summary>A fresh key per fixture, as the AppHost generates one: requesters' identifiers are encrypted under it.</summary>
    public string IdentifierKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var broker = RabbitMqServer.StartAsync();
        var smtp = SmtpServer.StartAsync();
        Postgres = await postgres;
        Broker = await broker;
        Smtp = await smtp;
        Identity = await IdentityProvider.StartAsync(Postgres);

        // Development, as the AppHost's launch profile runs it: the container validates scopes and every registration at build.
        var builder = ServiceHosts.CreateBuilder(typeof(RequestIntakeApi), new Dictionary<string, string?>(Smtp.ServiceSettings)
        {
            ["ConnectionStrings:rightsrequestsdb"] = ConnectionString,
            ["ConnectionStrings:messaging"] = Broker.Uri.ToString(),
            ["RightsRequests:IdentifierKey"] = IdentifierKey,
            ["RightsRequests:SubjectLookupKey"] = "a-subject-lookup-key-of-at-least-32-characters",
            ["Outbox:PublishTimeout"] = "00:00:05",
            ["Outbox:MaxBackoff"] = "00:00:01",
            // Far beyond any move of the clock here: the sweep runs only when a test calls it.
            ["RightsRequests:SweepInterval"] = "30.00:00:00",
        }, Identity, Clock, Environments.Development);
        builder.AddApplicationServices();
        var app = await builder.StartAsync(api =>
        {
            api.MapRequestIntakeApi();
            api.MapRequestLifecycleApi();
        });
        Service = app;
        Anonymous = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
        Http = As(PlatformRoles.PrivacyOfficer);
        OfficerActor = ActorOf(await Identity.AccessTokenAsync(PlatformRoles.PrivacyOfficer));

        // A listener of our own on the broker: what a verified request set going really left the service.
        var listener = app.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(
            new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance,
            endpoint => endpoint.Handler<ErasureRequested>(context =>
            {
                ErasuresRequested.Add(context.Message.RequestId);
                return Task.CompletedTask;
            }));
        await listener.Ready;
    }

    /// <summary>Request ids of the <see cref="ErasureRequested"/> events published on the broker.</summary>
    public System.Collections.Concurrent.ConcurrentBag<Guid> ErasuresRequested { get; } = [];

    /// <summary>A client with a token of <paramref name="role"/>'s client, renewed by the provider before it expires.</summary>
    public HttpClient As(string role)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(role, out var client))
            {
                client = new HttpClient(new BearerTokens(() => Identity.AccessTokenAsync(role)))
                {
                    BaseAddress = Anonymous.BaseAddress,
                    Timeout = TimeSpan.FromSeconds(30),
                };
                _clients[role] = client;
            }

            return client;
        }
    }

    /// <summary>The caller a token names, as the service's audit trail records them.</summary>
    public static string ActorOf(string accessToken)
    {
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(accessToken);
        return new ClaimsPrincipal(new ClaimsIdentity(token.Claims, "test", PlatformClaims.Name, PlatformClaims.Role)).Actor();
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        Anonymous?.Dispose();
        await TestBus.StopAsync(Service, Identity, Broker, Postgres, Smtp);
    }

    public async Task<T> InScopeAsync<T>(Func<RightsRequestsContext, Task<T>> work)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<RightsRequestsContext>());
    }

    /// <summary>Posts a request and answers its id; fails the test unless it is created.</summary>
    public async Task<Guid> ReceiveAsync(object body)
    {
        using var response = await Http.PostAsJsonAsync("/api/requests", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>A written request entered by staff (<see cref="Http"/>), received on <paramref name="receivedOn"/>.</summary>
    public Task<Guid> ReceiveLetterAsync(DateOnly receivedOn, string type = "erasure", string? email = null) => ReceiveAsync(new
    {
        type,
        subject = new { name = "Maija Mehiläinen", email = email ?? $"maija-{Guid.NewGuid():N}@example.fi" },
        channel = "letter",
        receivedOn = receivedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task<JsonElement> AuditAsync(Guid id) =>
        await Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/requests/{id}/audit", UriKind.Relative));

    public async Task<string[]> AuditActionsAsync(Guid id) =>
        [.. (await AuditAsync(id)).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];

    /// <summary>
    /// The mail the SMTP server received for a request, newest first. The service answers only after the server has
    /// taken the message, and the server keeps it before it says so: what a call sent is here when the call returns.
    /// </summary>
    public IReadOnlyList<ReceivedMail> MailFor(Guid id) => Mail.For(id);

    /// <summary>
    /// Whether the request set anything going: an event for it waits in the outbox or reached the broker. Asked after a
    /// pause, so an event written by the call just made is in one place or the other.
    /// </summary>
    public async Task<bool> ExecutedAsync(Guid id)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        var waiting = await InScopeAsync(db => db.Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE payload->>'requestId' = {id.ToString()}")
            .SingleAsync());
        return waiting > 0 || ErasuresRequested.Contains(id);
    }

    /// <summary>Polls until the condition holds; false if it still does not after the timeout.</summary>
    public static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout) => Eventually.EventuallyAsync(condition, timeout);

    public UnverifiedRequestSweep SweepAt(DateTimeOffset now) => ActivatorUtilities.CreateInstance<UnverifiedRequestSweep>(
        Service.Services, (TimeProvider)new FakeTimeProvider(now));

    /// <summary>The answer-copy purge as it would run at <paramref name="now"/>, the service's clock left where it is.</summary>
    public AnswerCopyPurge PurgeAt(DateTimeOffset now) => ActivatorUtilities.CreateInstance<AnswerCopyPurge>(
        Service.Services, (TimeProvider)new FakeTimeProvider(now));

    public OpenRequestsGaugeRefresher Gauges => Service.Services.GetRequiredService<OpenRequestsGaugeRefresher>();

    public RightsRequestsMetrics Metrics => Service.Services.GetRequiredService<RightsRequestsMetrics>();
}

[CollectionDefinition(Name)]
public sealed class LifecycleCollection : ICollectionFixture<LifecycleFixture>
{
    public const string Name = "RightsRequests lifecycle on real PostgreSQL and RabbitMQ";
}
