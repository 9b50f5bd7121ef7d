using MassTransit;
using Procexon.Messaging;

namespace Procexon.DisclosureLog.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        builder.AddServiceDatabase<DisclosureLogContext>("disclosurelogdb");
        builder.Services.AddScoped<IDatabaseSeeder<DisclosureLogContext>, RecipientsSeeder>();
        builder.AddErasureNoticeTracking();
        builder.AddServiceMessaging<DisclosureLogContext>("disclosurelog", bus => bus.AddDisclosureLogConsumers(), ProcessorConfirmations.Configure);
        builder.AddServiceOpenApi();
        return builder;
    }

    /// <summary>The confirm-by period of erasure and rectification notices and the gauges of overdue ones.</summary>
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

    /// <summary>What the disclosure log does on the bus: notify recipients of an erasure, record their confirmations.</summary>
    public static IBusRegistrationConfigurator AddDisclosureLogConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<NotifyRecipientsOfErasure>();
        // Declared by hand on the processors' confirmation queue (ProcessorConfirmations).
        bus.AddConsumer<RecordProcessorConfirmation>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<NotifyRecipientsOfRectification>();
        bus.AddConsumer<RecordRectificationConfirmation>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<RepointDisclosuresOfMergedSubject>();
        return bus;
    }
}
