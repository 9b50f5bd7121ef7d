using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Procexon.Messaging.Outbox;

/// <summary>Records integration events in the service's database, to be published once the transaction commits.</summary>
public interface IEventOutbox
{
    /// <summary>Adds the event to the unit of work; nothing leaves the service unless <c>SaveChanges</c> commits.</summary>
    Guid Add<TEvent>(TEvent integrationEvent) where TEvent : class;

    /// <summary>Adds a command for the one consumer reading <paramref name="queue"/>, sent once the transaction commits.</summary>
    Guid Send<TCommand>(string queue, TCommand command) where TCommand : class;
}

public sealed class EventOutbox<TContext>(TContext db, TimeProvider clock) : IEventOutbox where TContext : DbContext
{
    public Guid Add<TEvent>(TEvent integrationEvent) where TEvent : class => Store(integrationEvent, destination: null);

    public Guid Send<TCommand>(string queue, TCommand command) where TCommand : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        return Store(command, queue);
    }

    private Guid Store(object integrationEvent, string? destination)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var type = integrationEvent.GetType();
        var message = new OutboxMessage
        {
            Id = Guid.CreateVersion7(),
            MessageType = OutboxMessageTypes.NameOf(type),
            Payload = JsonSerializer.Serialize(integrationEvent, type, OutboxMessageTypes.Json),
            OccurredAt = clock.GetUtcNow(),
            TraceParent = Activity.Current?.Id,
            Destination = destination,
        };
        db.Set<OutboxMessage>().Add(message);
        return message.Id;
    }
}
