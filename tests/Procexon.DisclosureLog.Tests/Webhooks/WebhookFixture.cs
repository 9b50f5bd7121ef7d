using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Extensions;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.DisclosureLog.Model;
using Procexon.Testing;

namespace Procexon.DisclosureLog.Tests.Webhooks;

/// <summary>
/// A real PostgreSQL and the disclosure log's webhook delivery (database, dispatcher, sender) in a host that a test may
/// stop and start again, with five recipients configured as webhook recipients, each at its own receiver on a real
/// Kestrel. Short delays (retries from 200 ms, a circuit that opens after four failures and stays open a minute) keep
/// the tests quick. No broker: webhook recipients need none.
/// </summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    /// <summary>Signatures and CloudEvents (up from the start).</summary>
    public WebhookReceiver Verifying { get; } = new(WebhookReceiver.NewSecret());

    /// <summary>Down at first, up later.</summary>
    public WebhookReceiver Flaky { get; } = new(WebhookReceiver.NewSecret());

    /// <summary>Up but always answering 500.</summary>
    public WebhookReceiver Failing { get; } = new(WebhookReceiver.NewSecret());

    /// <summary>Up and well, beside <see cref="Failing"/>.</summary>
    public WebhookReceiver Healthy { get; } = new(WebhookReceiver.NewSecret());

    /// <summary>Down while the disclosure log restarts.</summary>
    public WebhookReceiver AcrossRestart { get; } = new(WebhookReceiver.NewSecret());

    public const string VerifyingRecipient = "website-it-company";
    public const string FlakyRecipient = "transport-company";
    public const string FailingRecipient = "finago";
    public const string HealthyRecipient = "verkko24";
    public const string RestartRecipient = "payment-intermediary";

    /// <summary>Configured at a port where nothing ever listens.</summary>
    public const string UnreachableRecipient = "auditor";

    public WebhookReceiver Unreachable { get; } = new(WebhookReceiver.NewSecret());

    /// <summary>Up; its secret is rotated by a test while it still verifies with the old one.</summary>
    public WebhookReceiver Rotating { get; } = new(WebhookReceiver.NewSecret());

    public const string RotatingRecipient = "group-companies";

    /// <summary>Configured as a webhook recipient, then set to another channel by a privacy officer (never up).</summary>
    public WebhookReceiver Overridden { get; } = new(WebhookReceiver.NewSecret());

    public const string OverriddenRecipient = "third-parties-with-consent";

    /// <summary>The gateway's public address, where the events' <c>dataschema</c> points.</summary>
    public static PublicAddress Schemas { get; } = new(DisclosureLogFixture.PublicAddress);

    public PostgresServer Postgres { get; private set; } = null!;

    public WebApplication DisclosureLog { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        await Task.WhenAll(Verifying.StartAsync(), Failing.StartAsync(), Healthy.StartAsync(), Rotating.StartAsync());
        Failing.StatusCode = 500;
        DisclosureLog = await StartDisclosureLogAsync();
    }

    /// <summary>A disclosure log host on the fixture's database, as the service registers its webhook delivery.</summary>
    public async Task<WebApplication> StartDisclosureLogAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:disclosurelogdb"] = Postgres.ConnectionString("disclosurelogdb"),
            [DisclosureLogProtection.KeySetting] = DisclosureLogFixture.EncryptionKey,
            [PublicAddress.Setting] = DisclosureLogFixture.PublicAddress,
            ["DisclosureLog:Webhooks:PollInterval"] = "00:00:00.100",
            ["DisclosureLog:Webhooks:Timeout"] = "00:00:02",
            ["DisclosureLog:Webhooks:FirstRetryDelay"] = "00:00:00.200",
            ["DisclosureLog:Webhooks:MaxRetryDelay"] = "00:00:01",
            ["DisclosureLog:Webhooks:CircuitMinimumThroughput"] = "4",
            ["DisclosureLog:Webhooks:CircuitFailureRatio"] = "0.5",
            ["DisclosureLog:Webhooks:CircuitSamplingDuration"] = "00:01:00",
            ["DisclosureLog:Webhooks:CircuitBreakDuration"] = "00:01:00",
            ["DisclosureLog:Webhooks:GiveUpAfter"] = "01:00:00",
        };
        foreach (var (slug, receiver) in Recipients())
        {
            settings[$"DisclosureLog:Webhooks:Recipients:{slug}:Url"] = receiver.Url.ToString();
            settings[$"DisclosureLog:Webhooks:Recipients:{slug}:Secret"] = receiver.Secret;
        }

        var builder = ServiceHosts.CreateBuilder(typeof(DisclosuresApi), settings, identity: null);
        builder.AddDisclosureLogDatabase();
        builder.AddErasureNoticeTracking();
        builder.AddWebhookDelivery();
        var app = builder.Build();
        await app.StartAsync();
        return app;
    }

    public async Task RestartDisclosureLogAsync(Func<Task> whileStopped)
    {
        await DisclosureLog.StopAsync();
        await DisclosureLog.DisposeAsync();
        await whileStopped();
        DisclosureLog = await StartDisclosureLogAsync();
    }

    public async Task<T> InDisclosureLogAsync<T>(Func<DisclosureLogContext, Task<T>> work)
    {
        await using var scope = DisclosureLog.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<DisclosureLogContext>());
    }

    private IEnumerable<(string, WebhookReceiver)> Recipients() =>
    [
        (VerifyingRecipient, Verifying), (FlakyRecipient, Flaky), (FailingRecipient, Failing), (HealthyRecipient, Healthy), (RestartRecipient, AcrossRestart), (UnreachableRecipient, Unreachable),
        (RotatingRecipient, Rotating), (OverriddenRecipient, Overridden),
    ];

    public async Task DisposeAsync()
    {
        await DisclosureLog.StopAsync();
        await DisclosureLog.DisposeAsync();
        foreach (var (_, receiver) in Recipients())
        {
            await receiver.DisposeAsync();
        }

        await Postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookFixture>
{
    public const string Name = "Webhook delivery on real PostgreSQL and real receivers";
}
