using MassTransit;
using Procexon.Messaging;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Where processors' confirmations arrive: one queue, <c>disclosurelog-processor-confirmations</c>, bound to each
/// recipient's own confirmation exchange (<see cref="RecipientQueues.ConfirmationsOf"/>), to which only that recipient's
/// processor may write (a recipient without a processor has no broker user, so nobody writes to its exchange). A
/// confirmation is believed only for the recipient whose exchange it came through.
/// </summary>
public static class ProcessorConfirmations
{
    public const string Queue = "disclosurelog-processor-confirmations";

    public static void Configure(IBusRegistrationContext context, IRabbitMqBusFactoryConfigurator rabbit)
    {
        rabbit.ReceiveEndpoint(Queue, endpoint =>
        {
            endpoint.UseDurableDefaults();
            // Not bound to the published message types: a confirmation published rather than sent through a
            // recipient's own exchange names nobody the broker vouched for.
            endpoint.ConfigureConsumeTopology = false;
            foreach (var recipient in SeededRecipients())
            {
                endpoint.Bind(RecipientQueues.ConfirmationsOf(recipient));
            }

            endpoint.ConfigureConsumer<RecordProcessorConfirmation>(context);
            endpoint.ConfigureConsumer<RecordRectificationConfirmation>(context);
            endpoint.ConfigureConsumer<RecordNoticeConfirmation>(context);
        });
    }

    /// <summary>
    /// Whether the message came through the confirmation exchange of <paramref name="recipient"/>, as the broker
    /// delivered it (the exchange a message was published to travels with it).
    /// </summary>
    public static bool CameFrom(ConsumeContext context, string recipient) =>
        context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var delivery)
        && delivery.Exchange == RecipientQueues.ConfirmationsOf(recipient);

    /// <summary>The recipients of the seed; one added later is bound at the next start (docs/security.md, "Broker").</summary>
    private static IEnumerable<string> SeededRecipients() =>
        RecipientsSeeder.ReadSeedAsync(CancellationToken.None).GetAwaiter().GetResult().Select(r => r.Slug);
}
