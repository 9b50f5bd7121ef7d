namespace Procexon.Contracts;

/// <summary>
/// Marks a message part whose values are a subject's personal data in clear (identifiers, new values, records). An
/// integration event that carries such a part anywhere in it is sealed in its service's outbox (encrypted at rest,
/// <c>Procexon.Messaging.Outbox.PersonalValues</c>), found by its shape rather than listed, so a new event cannot forget it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PersonalValuesAttribute : Attribute;
