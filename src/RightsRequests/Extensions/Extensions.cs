using Procexon.Messaging;

namespace Procexon.RightsRequests.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<RightsRequestsContext>("rightsrequestsdb");
        builder.AddServiceMessaging<RightsRequestsContext>("rightsrequests", addConsumers: bus =>
        {
            bus.AddConsumer<RecordErasureScope>();
            bus.AddConsumer<RecordRegisterOutcome>();
            bus.AddConsumer<RecordNotifiedRecipients>();
            bus.AddConsumer<RecordRecipientConfirmation>();
            bus.AddRightsConsumers();
        });
        builder.AddRequestMetrics();
        builder.AddServiceOpenApi();
        return builder;
    }

    /// <summary>The service's meters, and the refresher that keeps the open/overdue gauges off the database.</summary>
    public static IHostApplicationBuilder AddRequestMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<RightsRequestsMetrics>();
        builder.Services.AddHostedService<OpenRequestsGaugeRefresher>();
        return builder;
    }
}
