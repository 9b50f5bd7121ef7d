namespace Procexon.Messaging.Outbox;

/// <summary>
/// An integration event waiting to be published. Written in the same transaction as the change that caused it,
/// deleted once the broker has confirmed it.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Also the MassTransit message id, so a re-publish after a crash is recognised by the consumers' inboxes.</summary>
    public required Guid Id { get; init; }

    /// <summary>The CLR type, as "Namespace.Type, Assembly" without version, so an upgrade can still read old rows.</summary>
    public required string MessageType { get; init; }

    /// <summary>The event as JSON, readable by an operator; null when the event is <see cref="SealedPayload"/>.</summary>
    public string? Payload { get; init; }

    /// <summary>
    /// The same JSON for an event that carries personal values (<see cref="PersonalValues"/>), encrypted at rest with the
    /// service's column key (<c>sealed_payload</c>): a row left behind by a down broker, or read from a backup, names nobody.
    /// </summary>
    public string? SealedPayload { get; init; }

    /// <summary>A queue to send to (a command for one consumer); null publishes to every subscriber.</summary>
    public string? Destination { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>W3C traceparent of the activity that wrote the event, so the publish joins the same trace.</summary>
    public string? TraceParent { get; init; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}
