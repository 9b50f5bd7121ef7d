using Microsoft.Extensions.Options;
using Procexon.Messaging;
using Procexon.Messaging.Inbox;
using Procexon.Retention.IntegrationEvents;

namespace Procexon.Retention.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication();
        builder.AddServiceDatabase<RetentionContext>("retentiondb");
        builder.Services.AddScoped<IDatabaseSeeder<RetentionContext>, RetentionRulesSeeder>();
        builder.AddServiceMessaging<RetentionContext>("retention", bus =>
        {
            // Every register's answer to every erasure arrives here; under load a batch of them is one transaction.
            bus.AddBatchConsumer<ScheduleErasureOfRetainedDataInScope>();
            bus.AddBatchConsumer<ScheduleErasureOfRetainedData>();
            bus.AddConsumer<RecordRetainedDataErased>();
            bus.AddConsumer<RepointLegalHoldsOfMergedSubject>();
            bus.AddConsumer<RecordHeldDataErased>();
        });
        builder.AddRetentionSweeps();
        builder.AddServiceOpenApi();
        return builder;
    }

    /// <summary>
    /// The sweep that releases legal holds whose retention has ended, run by <see cref="ScheduledSweeps"/> every
    /// <c>Retention:SweepInterval</c> (after the database migration, which is registered first) and by operators on demand.
    /// </summary>
    public static IHostApplicationBuilder AddRetentionSweeps(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SweepOptions>()
            .BindConfiguration("Retention")
            .Validate(o => o.SweepInterval > TimeSpan.Zero, "Retention:SweepInterval must be positive.")
            .Validate(o => o.SweepBatchSize > 0, "Retention:SweepBatchSize must be positive.")
            .ValidateOnStart();
        builder.Services.AddScoped<RetentionSweep>();
        builder.Services.AddSingleton<ScheduledSweeps>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ScheduledSweeps>());
        builder.Services.AddHealthChecks().AddCheck<ScheduledSweeps>("retention-sweeps");
        return builder;
    }
}
