namespace Procexon.RightsRequests.Model;

/// <summary>
/// GDPR Art 12(3): the controller answers within one month of receipt. The month is a calendar month counted in
/// Finnish time: a request received on 31 January is due on the last day of February.
/// </summary>
public static class AnswerPeriod
{
    public static readonly TimeZoneInfo FinnishTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");

    public static DateOnly DueOn(DateTimeOffset receivedAt) => FinnishDate(receivedAt).AddMonths(1);

    /// <summary>The last instant of the due day in Finnish time, so an answer given that evening is on time.</summary>
    public static DateTimeOffset EndOf(DateOnly dueOn)
    {
        var midnightAfter = dueOn.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnightAfter, FinnishTime.GetUtcOffset(midnightAfter)).AddTicks(-1);
    }

    /// <summary>The calendar day an instant falls on in Finland.</summary>
    public static DateOnly FinnishDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, FinnishTime).DateTime);

    /// <summary>
    /// Overdue once the due day has ended in Finnish time; equivalently, due on a day before today in Finland, which
    /// is how the database is asked.
    /// </summary>
    public static bool IsOverdue(DateOnly dueOn, DateTimeOffset now) => now > EndOf(dueOn);
}
