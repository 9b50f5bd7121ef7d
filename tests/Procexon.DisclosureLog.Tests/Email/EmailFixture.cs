using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Extensions;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.Messaging.Outbox;
using Procexon.Testing;

namespace Procexon.DisclosureLog.Tests.Email;

/// <summary>
/// A real PostgreSQL and a real SMTP server (Debian's aiosmtpd, started once for the collection), and the disclosure log's
/// delivery (database, dispatcher, mailer) with the confirmation-link API, the auditor configured as an e-mail recipient.
/// Links point at a made-up public address; the tests call the same path on the host. No broker: the confirmation's
/// announcement is an outbox row, which the relay would send.
/// </summary>
public sealed class EmailFixture : IAsyncLifetime
{
    public const string Recipient = "auditor";

    public const string Address = "tilintarkastaja@auditor.example";

    public const string PublicAddress = DisclosureLogFixture.PublicAddress;

    public static Model.PublicAddress Schemas { get; } = new(PublicAddress);

    public PostgresServer Postgres { get; private set; } = null!;

    public SmtpServer Smtp { get; private set; } = null!;

    public WebApplication DisclosureLog { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var smtp = SmtpServer.StartAsync();
        Postgres = await postgres;
        Smtp = await smtp;

        var settings = new Dictionary<string, string?>(Smtp.ServiceSettings)
        {
            ["ConnectionStrings:disclosurelogdb"] = Postgres.ConnectionString("disclosurelogdb"),
            [DisclosureLogProtection.KeySetting] = DisclosureLogFixture.EncryptionKey,
            ["DisclosureLog:Webhooks:PollInterval"] = "00:00:00.100",
            ["DisclosureLog:Webhooks:FirstRetryDelay"] = "00:00:00.200",
            ["DisclosureLog:Webhooks:MaxRetryDelay"] = "00:00:01",
            ["DisclosureLog:Webhooks:GiveUpAfter"] = "01:00:00",
            [Model.PublicAddress.Setting] = PublicAddress,
            [$"DisclosureLog:Email:Recipients:{Recipient}"] = Address,
        };
        var builder = ServiceHosts.CreateBuilder(typeof(DisclosuresApi), settings, identity: null);
        builder.AddDisclosureLogDatabase();
        builder.AddErasureNoticeTracking();
        builder.AddWebhookDelivery();
        builder.Services.AddScoped<IEventOutbox>(services =>
            new EventOutbox<DisclosureLogContext>(services.GetRequiredService<DisclosureLogContext>(), TimeProvider.System));
        DisclosureLog = builder.Build();
        DisclosureLog.MapEmailConfirmationApi();
        await DisclosureLog.StartAsync();
        Anonymous = DisclosureLogFixture.ClientOf(DisclosureLog);
    }

    public async Task<T> InDisclosureLogAsync<T>(Func<DisclosureLogContext, Task<T>> work)
    {
        await using var scope = DisclosureLog.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<DisclosureLogContext>());
    }

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        await DisclosureLog.StopAsync();
        await DisclosureLog.DisposeAsync();
        await Smtp.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EmailCollection : ICollectionFixture<EmailFixture>
{
    public const string Name = "E-mail recipients on real PostgreSQL and a real SMTP server";
}
