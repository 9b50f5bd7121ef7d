namespace Procexon.Retention.Model;

/// <summary>Retention periods end on Finnish calendar days: the day turns at midnight in Helsinki, not in UTC.</summary>
public static class FinnishCalendar
{
    public static readonly TimeZoneInfo FinnishTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");

    public static DateOnly DayOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, FinnishTime).DateTime);

    public static DateOnly Today(TimeProvider clock) => DayOf(clock.GetUtcNow());

    /// <summary>The instant a Finnish calendar day begins (midnight in Helsinki, summer or winter time).</summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, FinnishTime.GetUtcOffset(midnight));
    }
}
