namespace Procexon.DisclosureLog.Model;

public static class Instants
{
    /// <summary>The instant to PostgreSQL's microsecond, so what is answered and published equals what is stored.</summary>
    public static DateTimeOffset ToMicroseconds(this DateTimeOffset instant) =>
        instant.AddTicks(-(instant.Ticks % TimeSpan.TicksPerMicrosecond));

    public static DateTimeOffset GetUtcNowToMicroseconds(this TimeProvider clock) => clock.GetUtcNow().ToMicroseconds();
}
