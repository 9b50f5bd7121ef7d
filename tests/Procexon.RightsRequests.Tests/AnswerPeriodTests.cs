using Procexon.RightsRequests.Model;

namespace Procexon.RightsRequests.Tests;

[Trait("Category", "Unit")]
public sealed class AnswerPeriodTests
{
    [Theory]
    [InlineData("2026-03-10T09:00:00Z", "2026-04-10")]
    [InlineData("2026-01-31T09:00:00Z", "2026-02-28")] // no 31 February: the month ends first
    [InlineData("2028-01-31T09:00:00Z", "2028-02-29")] // leap year
    [InlineData("2026-03-31T09:00:00Z", "2026-04-30")]
    [InlineData("2026-12-15T09:00:00Z", "2027-01-15")] // over the year end
    [InlineData("2026-08-31T12:00:00Z", "2026-09-30")]
    public void Request_is_due_one_calendar_month_after_receipt(string receivedAt, string dueOn)
    {
        Assert.Equal(DateOnly.Parse(dueOn, System.Globalization.CultureInfo.InvariantCulture),
            AnswerPeriod.DueOn(DateTimeOffset.Parse(receivedAt, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Receipt_day_is_counted_in_Finnish_time()
    {
        // 22:30 UTC on 31 January is already 1 February in Helsinki (UTC+2).
        Assert.Equal(new DateOnly(2026, 3, 1), AnswerPeriod.DueOn(new DateTimeOffset(2026, 1, 31, 22, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Due_day_lasts_until_midnight_Finnish_time_in_summer_and_in_winter()
    {
        var winter = AnswerPeriod.EndOf(new DateOnly(2026, 2, 28));
        Assert.Equal(TimeSpan.FromHours(2), winter.Offset);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 21, 59, 59, TimeSpan.Zero).AddTicks(TimeSpan.TicksPerSecond - 1), winter.ToUniversalTime());

        var summer = AnswerPeriod.EndOf(new DateOnly(2026, 7, 15));
        Assert.Equal(TimeSpan.FromHours(3), summer.Offset);
        Assert.Equal(new DateOnly(2026, 7, 15), DateOnly.FromDateTime(summer.DateTime));
    }

    [Theory]
    [InlineData("2026-02-28T21:59:59Z", false)] // 23:59:59 on the due day in Helsinki (UTC+2)
    [InlineData("2026-02-28T22:00:00Z", true)] // midnight after it
    [InlineData("2026-02-27T12:00:00Z", false)]
    [InlineData("2026-03-15T12:00:00Z", true)]
    public void Request_is_overdue_once_its_due_day_has_ended_in_Finnish_time(string now, bool overdue)
    {
        Assert.Equal(overdue, AnswerPeriod.IsOverdue(new DateOnly(2026, 2, 28), DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Overdue_means_due_before_today_in_Finland_which_is_how_the_gauge_counts()
    {
        // Every hour of a year, over both daylight-saving changes, against due days around it.
        for (var now = new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.Zero); now.Year == 2026; now = now.AddHours(1))
        {
            var today = AnswerPeriod.FinnishDate(now);
            foreach (var dueOn in new[] { today.AddDays(-1), today, today.AddDays(1) })
            {
                Assert.Equal(dueOn < today, AnswerPeriod.IsOverdue(dueOn, now));
            }
        }
    }
}
