using Procexon.RightsRequests.Model;

namespace Procexon.RightsRequests.Tests;

/// <summary>Art 12(3)'s extension on month ends and leap years, and the first month in Finnish time.</summary>
[Trait("Category", "Unit")]
public sealed class RequestClockTests
{
    // 10:00 in Finland (UTC+2 in winter, UTC+3 in summer) on the given day.
    private static DateTimeOffset FinnishMorning(int year, int month, int day) =>
        RequestClock.StartOf(new DateOnly(year, month, day)).AddHours(10);

    [Theory]
    [InlineData(2027, 1, 31, 0, 2027, 2, 28)]
    [InlineData(2028, 1, 31, 0, 2028, 2, 29)]
    [InlineData(2028, 1, 31, 1, 2028, 3, 31)]
    [InlineData(2028, 1, 31, 2, 2028, 4, 30)]
    [InlineData(2027, 11, 30, 2, 2028, 2, 29)]
    [InlineData(2026, 11, 30, 2, 2027, 2, 28)]
    [InlineData(2027, 12, 31, 2, 2028, 3, 31)]
    [InlineData(2028, 2, 29, 1, 2028, 4, 29)]
    public void Extended_due_date_counts_calendar_months_from_receipt_and_clamps_to_the_month_end(
        int year, int month, int day, int extensionMonths, int dueYear, int dueMonth, int dueDay)
    {
        Assert.Equal(new DateOnly(dueYear, dueMonth, dueDay), RequestClock.DueOn(FinnishMorning(year, month, day), extensionMonths));
    }

    [Fact]
    public void Receipt_late_in_the_evening_UTC_counts_from_the_next_Finnish_day()
    {
        // 22:30 UTC on 31 January is 00:30 on 1 February in Finland.
        var receivedAt = new DateTimeOffset(2028, 1, 31, 22, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2028, 3, 1), RequestClock.DueOn(receivedAt, 0));
        Assert.Equal(new DateOnly(2028, 5, 1), RequestClock.DueOn(receivedAt, 2));
    }

    [Fact]
    public void Three_further_months_are_not_allowed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RequestClock.DueOn(FinnishMorning(2028, 1, 31), 3));
    }

    [Fact]
    public void First_month_runs_until_the_end_of_the_due_day_in_Finnish_time()
    {
        var receivedAt = FinnishMorning(2028, 1, 31);
        // Due 29 February 2028; that day ends at 22:00 UTC (midnight in Helsinki).
        var lastMoment = new DateTimeOffset(2028, 2, 29, 21, 59, 59, TimeSpan.Zero);

        Assert.True(RequestClock.FirstMonthRuns(receivedAt, lastMoment));
        Assert.False(RequestClock.FirstMonthRuns(receivedAt, lastMoment.AddSeconds(1)));
    }

    [Fact]
    public void Due_within_counts_today_and_the_next_days_but_not_overdue_ones()
    {
        var now = FinnishMorning(2028, 2, 25);

        Assert.True(RequestClock.IsDueWithin(new DateOnly(2028, 2, 25), 7, now));
        Assert.True(RequestClock.IsDueWithin(new DateOnly(2028, 3, 3), 7, now));
        Assert.False(RequestClock.IsDueWithin(new DateOnly(2028, 3, 4), 7, now));
        Assert.False(RequestClock.IsDueWithin(new DateOnly(2028, 2, 24), 7, now));
    }

    [Fact]
    public void A_letter_stamped_on_a_summer_day_counts_from_midnight_in_Finland()
    {
        Assert.Equal(new DateTimeOffset(2027, 6, 30, 21, 0, 0, TimeSpan.Zero), RequestClock.StartOf(new DateOnly(2027, 7, 1)));
    }
}
