namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Where a recipient's own events go: sent, never published, so a processor receives only its own recipient's
/// subjects (DESIGN §12). A staff recipient is sent nothing; its notice row is what staff confirm by hand.
/// </summary>
public static class RecipientDelivery
{
    public static void SendTo<TMessage>(this IEventOutbox outbox, Recipient recipient, TMessage message) where TMessage : class
    {
        switch (recipient.Channel)
        {
            case RecipientChannels.Amqp:
                outbox.Send(RecipientQueues.Of(recipient.Slug), message);
                break;
            case RecipientChannels.Staff:
                break;
            default:
                throw new InvalidOperationException($"Recipient {recipient.Slug} has an unknown channel '{recipient.Channel}'.");
        }
    }
}
