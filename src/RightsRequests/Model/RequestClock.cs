namespace Procexon.RightsRequests.Model;

/// <summary>
/// The rest of Art 12(3) beside <see cref="AnswerPeriod"/>: the period may be extended by up to two further months,
/// and the subject must be told so within the first month. Months are calendar months counted from the day of
/// receipt in Finnish time, so a request received on 31 January and extended by two months is due on 30 April.
/// </summary>
public static class RequestClock
{
    public const int MaxExtensionMonths = 2;

    /// <summary>The last day of a period of one month plus <paramref name="extensionMonths"/> from receipt.</summary>
    public static DateOnly DueOn(DateTimeOffset receivedAt, int extensionMonths)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extensionMonths);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(extensionMonths, MaxExtensionMonths);
        return AnswerPeriod.FinnishDate(receivedAt).AddMonths(1 + extensionMonths);
    }

    /// <summary>Whether the first month, the only time an extension may be announced, still runs.</summary>
    public static bool FirstMonthRuns(DateTimeOffset receivedAt, DateTimeOffset now) =>
        !AnswerPeriod.IsOverdue(AnswerPeriod.DueOn(receivedAt), now);

    /// <summary>Not yet overdue, but due today or within <paramref name="days"/> days (Finnish calendar).</summary>
    public static bool IsDueWithin(DateOnly dueOn, int days, DateTimeOffset now)
    {
        var today = AnswerPeriod.FinnishDate(now);
        return dueOn >= today && dueOn <= today.AddDays(days);
    }

    /// <summary>The Finnish calendar day of a moment: how the database is asked about due dates.</summary>
    public static DateOnly Today(TimeProvider clock) => AnswerPeriod.FinnishDate(clock.GetUtcNow());

    /// <summary>
    /// The first instant of a Finnish calendar day, in UTC (as PostgreSQL's timestamptz takes it): a letter stamped
    /// received that day counts from then.
    /// </summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, AnswerPeriod.FinnishTime.GetUtcOffset(midnight)).ToUniversalTime();
    }
}
