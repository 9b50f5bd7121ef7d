using MassTransit;
using Procexon.Messaging;

namespace Procexon.RightsRequests.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<RightsRequestsContext>("rightsrequestsdb");
        builder.AddServiceMessaging<RightsRequestsContext>("rightsrequests", addConsumers: bus =>
        {
            bus.AddRequestConsumer<RecordErasureScope, ErasureScopeResolved>(m => m.RequestId);
            bus.AddRequestConsumer<RecordRegisterOutcome, RegisterErasureCompleted>(m => m.RequestId);
            bus.AddRequestConsumer<RecordNotifiedRecipients, RecipientsNotified>(m => m.RequestId);
            bus.AddRequestConsumer<RecordRecipientConfirmation, RecipientConfirmedErasure>(m => m.RequestId);
            bus.AddRightsConsumers();
        });
        builder.AddRequestMetrics();
        builder.AddRequestLifecycle();
        builder.AddServiceOpenApi();
        return builder;
    }

    /// <summary>
    /// A consumer of answers about one request. Its messages are partitioned by request: answers about the same request
    /// take turns in memory instead of queueing on the request's row lock in PostgreSQL (ten registers answer at
    /// once), while answers about different requests run side by side. The row lock stays, for other replicas.
    /// </summary>
    public static void AddRequestConsumer<TConsumer, TMessage>(this IBusRegistrationConfigurator bus, Func<TMessage, Guid> requestId)
        where TConsumer : class, IConsumer<TMessage>
        where TMessage : class =>
        bus.AddConsumer<TConsumer>((_, consumer) =>
                consumer.Message<TMessage>(message => message.UsePartitioner(RequestPartitions, context => requestId(context.Message))))
            .Endpoint(endpoint => endpoint.PrefetchCount = RequestPartitions * 4);

    private const int RequestPartitions = 32;

    /// <summary>The service's meters, and the refresher that keeps the open/overdue gauges off the database.</summary>
    public static IHostApplicationBuilder AddRequestMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<RightsRequestsMetrics>();
        builder.Services.AddSingleton<OpenRequestsGaugeRefresher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OpenRequestsGaugeRefresher>());
        return builder;
    }
}
