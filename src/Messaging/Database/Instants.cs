namespace Procexon.Messaging.Database;

/// <summary>
/// Instants cut to PostgreSQL's microsecond: a <c>timestamptz</c> keeps no more, so what a service answers and publishes
/// at the moment of a change equals what a later read of the same row gives.
/// </summary>
public static class Instants
{
    public static DateTimeOffset ToMicroseconds(this DateTimeOffset instant) =>
        instant.AddTicks(-(instant.Ticks % TimeSpan.TicksPerMicrosecond));

    public static DateTimeOffset GetUtcNowToMicroseconds(this TimeProvider clock) => clock.GetUtcNow().ToMicroseconds();
}
