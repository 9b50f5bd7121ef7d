using MassTransit;
using Procexon.Messaging;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Mail;

namespace Procexon.DisclosureLog.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        builder.AddDisclosureLogDatabase();
        builder.AddErasureNoticeTracking();
        builder.AddWebhookDelivery();
        builder.AddServiceMessaging<DisclosureLogContext>("disclosurelog", bus => bus.AddDisclosureLogConsumers(), ProcessorConfirmations.Configure);
        builder.AddServiceOpenApi();
        return builder;
    }

    /// <summary>
    /// The service's database with its encryption key and the gateway's public address (read first: a missing or bad one
    /// stops the start, naming the setting), the recipients of the notice, then the channels the deployment configures
    /// for some of them (<see cref="RecipientChannelsConfigurer"/>, after the seed).
    /// </summary>
    public static IHostApplicationBuilder AddDisclosureLogDatabase(this IHostApplicationBuilder builder)
    {
        var protection = DisclosureLogProtection.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(protection);
        builder.Services.AddSingleton(EmailLinkTokens.FromConfiguration(builder.Configuration));
        builder.Services.AddSingleton(PublicAddress.FromConfiguration(builder.Configuration));
        builder.AddServiceDatabase<DisclosureLogContext>("disclosurelogdb", options => options.UseColumnEncryption(protection));
        builder.Services.AddScoped<IDatabaseSeeder<DisclosureLogContext>, RecipientsSeeder>();
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.SecretRotationOverlap >= TimeSpan.Zero, $"{WebhookOptions.Section}:SecretRotationOverlap must not be negative.");
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section);
        builder.Services.AddScoped<IDatabaseSeeder<DisclosureLogContext>, RecipientChannelsConfigurer>();
        // After a key rotation, what is still under the previous key is rewritten under the new one.
        builder.Services.AddEncryptedColumnRewrap<DisclosureLogContext>();
        return builder;
    }

    /// <summary>
    /// The webhook and e-mail channels: the per-recipient webhook sender, the notice mailer (on the shared SMTP mailer, when
    /// <c>ConnectionStrings:mail</c> names a server) and the one dispatcher that delivers both from the database.
    /// </summary>
    public static IHostApplicationBuilder AddWebhookDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero && o.FirstRetryDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.FirstRetryDelay,
                $"{WebhookOptions.Section}: Timeout and FirstRetryDelay must be positive and MaxRetryDelay at least FirstRetryDelay.")
            .Validate(o => o.GiveUpAfter > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero, $"{WebhookOptions.Section}: GiveUpAfter and PollInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<IRecipientChannelSender>(services => services.GetRequiredService<WebhookSender>());
        builder.Services.AddSingleton<DisclosureLogMailCounters>();
        builder.TryAddSmtpMailer(services => services.GetRequiredService<DisclosureLogMailCounters>().Mail);
        builder.Services.AddSingleton<IRecipientChannelSender, EmailNoticeSender>();
        builder.Services.AddSingleton<WebhookMetrics>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WebhookDispatcher>());
        return builder;
    }

    /// <summary>The confirm-by period of recipient notices and the gauges of overdue ones.</summary>
    public static IHostApplicationBuilder AddErasureNoticeTracking(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ErasureNoticeOptions>()
            .BindConfiguration(ErasureNoticeOptions.Section)
            .Validate(o => o.ConfirmWithin > TimeSpan.Zero, $"{ErasureNoticeOptions.Section}:ConfirmWithin must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<OverdueNotices>();
        builder.Services.AddSingleton<OverdueNoticesMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OverdueNoticesMonitor>());
        return builder;
    }

    /// <summary>What the disclosure log does on the bus: notify recipients of an erasure, a rectification, a restriction and its lifting; record their confirmations.</summary>
    public static IBusRegistrationConfigurator AddDisclosureLogConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddBatchConsumer<NotifyRecipientsOfErasure>();
        // Declared by hand on the processors' confirmation queue (ProcessorConfirmations).
        bus.AddConsumer<RecordProcessorConfirmation>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<NotifyRecipientsOfRightScope>();
        bus.AddConsumer<RecordRectificationConfirmation>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<NotifyRecipientsOfRestrictionLifting>();
        bus.AddBatchConsumer<RecordNoticeConfirmation>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<RepointDisclosuresOfMergedSubject>();
        return bus;
    }
}
