using System.Diagnostics;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Where a recipient's own events go (DESIGN §12): an <c>amqp</c> recipient's are sent, never published, to its own
/// queue, so a processor receives only its own recipient's subjects; a <c>webhook</c> recipient's become a
/// <see cref="WebhookDelivery"/> in the same transaction, which <see cref="WebhookDispatcher"/> posts; an <c>email</c>
/// recipient's notices become a delivery of the e-mail channel the same way, which the dispatcher mails; a staff
/// recipient is sent nothing and its notice row is what staff confirm by hand.
/// </summary>
public static class RecipientDelivery
{
    /// <param name="schemas">The gateway's public address, where each webhook event's <c>dataschema</c> points.</param>
    public static void SendTo<TMessage>(this IEventOutbox outbox, DisclosureLogContext db, Recipient recipient, TMessage message, DateTimeOffset now, PublicAddress schemas)
        where TMessage : class
    {
        switch (recipient.Channel)
        {
            case RecipientChannels.Amqp:
                outbox.Send(RecipientQueues.Of(recipient.Slug), message);
                break;
            case RecipientChannels.Webhook:
                Deliver(db, recipient, RecipientChannels.Webhook, message, now, schemas);
                break;
            case RecipientChannels.Email when message is ErasureNoticeSent or RectificationNoticeSent or RestrictionNoticeSent or RestrictionLiftedNoticeSent:
                // The notice's event, kept (encrypted) only until mailed: the mail is written from it when it is sent.
                Deliver(db, recipient, RecipientChannels.Email, message, now, schemas);
                break;
            case RecipientChannels.Email:
                // Disclosures and merges are not mailed: a mail would carry identifiers in clear for nothing to confirm.
                break;
            case RecipientChannels.Staff:
                break;
            default:
                throw new InvalidOperationException($"Recipient {recipient.Slug} has an unknown channel '{recipient.Channel}'.");
        }
    }

    private static void Deliver(DisclosureLogContext db, Recipient recipient, string channel, object message, DateTimeOffset now, PublicAddress schemas)
    {
        var cloudEvent = WebhookEvents.For(message, recipient.Slug, now, schemas);
        db.WebhookDeliveries.Add(new WebhookDelivery
        {
            Id = Guid.Parse(cloudEvent.Id!),
            Recipient = recipient.Slug,
            Channel = channel,
            Type = cloudEvent.Type!,
            Body = WebhookEvents.Encode(cloudEvent),
            CreatedAt = now,
            NextAttemptAt = now,
            TraceParent = Activity.Current?.Id,
        });
    }
}
