using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Procexon.Contracts;

namespace Procexon.Messaging.Outbox;

/// <summary>Records integration events in the service's database, to be published once the transaction commits.</summary>
public interface IEventOutbox
{
    /// <summary>Adds the event to the unit of work; nothing leaves the service unless <c>SaveChanges</c> commits.</summary>
    Guid Add<TEvent>(TEvent integrationEvent) where TEvent : class;

    /// <summary>Adds a command for the one consumer reading <paramref name="queue"/>, sent once the transaction commits.</summary>
    Guid Send<TCommand>(string queue, TCommand command) where TCommand : class;
}

public sealed class EventOutbox<TContext>(TContext db, TimeProvider clock, PublishedEvents? published = null) : IEventOutbox where TContext : DbContext
{
    public Guid Add<TEvent>(TEvent integrationEvent) where TEvent : class
    {
        published?.EnsureMayPublish(integrationEvent.GetType());
        return Store(integrationEvent, destination: null);
    }

    public Guid Send<TCommand>(string queue, TCommand command) where TCommand : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        return Store(command, queue);
    }

    private bool CanSeal => db.Model.FindEntityType(typeof(OutboxMessage))?.FindProperty(nameof(OutboxMessage.SealedPayload)) is not null;

    private Guid Store(object integrationEvent, string? destination)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var type = integrationEvent.GetType();
        var json = JsonSerializer.Serialize(integrationEvent, type, OutboxMessageTypes.Json);
        var sealedEvent = PersonalValues.AreCarriedBy(type);
        if (sealedEvent && !CanSeal)
        {
            throw new InvalidOperationException(
                $"{type.Name} carries personal values, and {typeof(TContext).Name} has no column key to seal them with: pass it to AddOutboxAndInbox.");
        }

        var message = new OutboxMessage
        {
            Id = Guid.CreateVersion7(),
            MessageType = OutboxMessageTypes.NameOf(type),
            Payload = sealedEvent ? null : json,
            SealedPayload = sealedEvent ? json : null,
            OccurredAt = clock.GetUtcNow(),
            TraceParent = Activity.Current?.Id,
            Destination = destination,
        };
        db.Set<OutboxMessage>().Add(message);
        return message.Id;
    }
}

/// <summary>
/// The events a service may publish (<see cref="IntegrationEventRoutes"/>), which are the exchanges its broker user may
/// write to: an event missing there would fail at the broker in a deployment, so it fails here, in the service's tests.
/// A service the routes do not name (a test's, a processor) is held by its broker rights alone.
/// </summary>
public sealed class PublishedEvents(string serviceName)
{
    private readonly HashSet<Type>? _allowed = IntegrationEventRoutes.ByService.TryGetValue(serviceName, out var routes) ? [.. routes.Publishes] : null;

    public void EnsureMayPublish(Type eventType)
    {
        if (_allowed is not null && !_allowed.Contains(eventType))
        {
            throw new InvalidOperationException(
                $"{serviceName} does not publish {eventType.Name}: add it to IntegrationEventRoutes, which gives the service's broker user the right to.");
        }
    }
}
