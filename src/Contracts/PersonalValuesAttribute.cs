namespace Procexon.Contracts;

/// <summary>
/// Marks a message part whose values are a subject's personal data in clear (identifiers, new values, records). An
/// integration event that carries such a part anywhere in it is sealed in its service's outbox (encrypted at rest,
/// <c>Procexon.Messaging.Outbox.PersonalValues</c>), and, between the services, the part travels sealed on the broker
/// (<c>Procexon.Messaging.Transit</c>); both find it by its shape rather than a list, so a new event cannot forget it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PersonalValuesAttribute : Attribute;
