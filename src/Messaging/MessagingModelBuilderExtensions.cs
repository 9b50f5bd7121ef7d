using Microsoft.EntityFrameworkCore;
using Procexon.Messaging.Encryption;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Messaging;

public static class MessagingModelBuilderExtensions
{
    /// <summary>Adds the outbox and inbox tables to a service's own database.</summary>
    /// <param name="sealing">
    /// The service's column key, which seals the events that carry personal values; a service without one may not write
    /// such an event (<see cref="EventOutbox{TContext}"/> refuses it).
    /// </param>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder modelBuilder, ColumnEncryption? sealing = null)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(m => m.Id);
            outbox.Property(m => m.MessageType).HasMaxLength(500);
            if (sealing is null)
            {
                outbox.Property(m => m.Payload).HasColumnType("jsonb").IsRequired();
                outbox.Ignore(m => m.SealedPayload);
            }
            else
            {
                outbox.Property(m => m.Payload).HasColumnType("jsonb");
                outbox.Property(m => m.SealedPayload).Encrypted(sealing, "outbox_messages", "sealed_payload");
                outbox.ToTable("outbox_messages", t => t.HasCheckConstraint("ck_outbox_messages_one_payload", "(payload IS NULL) <> (sealed_payload IS NULL)"));
            }

            outbox.Property(m => m.TraceParent).HasMaxLength(128);
            outbox.Property(m => m.Destination).HasMaxLength(200);
            outbox.HasIndex(m => m.OccurredAt);
        });

        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("inbox_messages");
            inbox.HasKey(m => new { m.MessageId, m.Consumer });
            inbox.Property(m => m.Consumer).HasMaxLength(200);
            inbox.HasIndex(m => m.ProcessedAt);
        });

        return modelBuilder;
    }
}
