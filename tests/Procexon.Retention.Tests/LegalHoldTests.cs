using Procexon.Retention.Model;

namespace Procexon.Retention.Tests;

/// <summary>The retention rule of a hold on its own, without I/O.</summary>
[Trait("Category", "Unit")]
public sealed class LegalHoldTests
{
    [Theory]
    [InlineData("2032-12-31T21:59:59Z", false)] // 23:59:59 on 31 December in Helsinki (UTC+2)
    [InlineData("2032-12-31T22:00:00Z", true)] // midnight in Helsinki; still 31 December in UTC
    [InlineData("2033-01-01T12:00:00Z", true)]
    public void Voucher_hold_is_due_from_the_first_Finnish_day_after_its_last_day(string now, bool due)
    {
        var hold = Hold(new DateOnly(2032, 12, 31));

        Assert.Equal(due, hold.IsDue(FinnishCalendar.DayOf(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Finnish_day_turns_at_midnight_Helsinki_time_in_summer_and_in_winter()
    {
        Assert.Equal(new DateTimeOffset(2033, 7, 1, 0, 0, 0, TimeSpan.FromHours(3)), FinnishCalendar.StartOf(new DateOnly(2033, 7, 1)));
        Assert.Equal(new DateTimeOffset(2033, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)), FinnishCalendar.StartOf(new DateOnly(2033, 1, 1)));
        Assert.Equal(new DateOnly(2033, 7, 1), FinnishCalendar.DayOf(new DateTimeOffset(2033, 6, 30, 21, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Released_hold_is_not_due_again_and_cannot_be_released_twice()
    {
        var hold = Hold(new DateOnly(2032, 12, 31));
        var at = new DateTimeOffset(2033, 1, 1, 6, 0, 0, TimeSpan.Zero);

        hold.Release(at);

        Assert.Equal((LegalHoldStatus.Released, at), (hold.Status, hold.ReleasedAt));
        Assert.False(hold.IsDue(new DateOnly(2033, 1, 2)));
        Assert.Throws<InvalidOperationException>(() => hold.Release(at));
    }

    [Fact]
    public void Erasure_is_recorded_once_even_before_the_hold_was_released()
    {
        var hold = Hold(new DateOnly(2032, 12, 31));
        var first = new DateTimeOffset(2033, 1, 2, 6, 0, 0, TimeSpan.Zero);

        hold.RecordErased(first);
        hold.RecordErased(first.AddDays(1));

        Assert.Equal((LegalHoldStatus.Erased, first), (hold.Status, hold.ErasedAt));
        Assert.Null(hold.ReleasedAt);
    }

    private static LegalHold Hold(DateOnly retainUntil) => new()
    {
        Id = Guid.CreateVersion7(),
        SubjectId = Guid.NewGuid(),
        Register = TestData.Register,
        RetentionRule = "accounting-vouchers",
        Category = "invoices",
        StatuteFi = TestData.AccountingAct.Fi,
        StatuteEn = TestData.AccountingAct.En,
        RetainUntil = retainUntil,
        RequestId = Guid.NewGuid(),
        Records = 3,
        CreatedAt = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero),
    };
}
