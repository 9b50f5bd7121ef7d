using Procexon.Contracts;
using Procexon.Retention.Model;

namespace Procexon.Retention.Tests;

[Collection(RetentionCollection.Name)]
public sealed class SweepTests(RetentionFixture fixture)
{
    [Fact]
    public async Task Accounting_voucher_hold_is_kept_through_its_last_day_and_released_at_Finnish_midnight()
    {
        var lastDay = fixture.Today;
        var subjectId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId, TestData.Invoices(subjectId, lastDay)));
        var holdId = (await fixture.HoldsOfRequestAsync(requestId)).Single().Id;

        // The last instant of the last day in Helsinki: the data must still be kept.
        var finnishMidnight = FinnishCalendar.StartOf(lastDay.AddDays(1)).ToUniversalTime();
        fixture.Clock.SetUtcNow(finnishMidnight.AddMicroseconds(-1));
        await fixture.SweepNowAsync();

        var kept = await fixture.HoldAsync(holdId);
        Assert.Equal(LegalHoldStatus.Scheduled, kept.Status);
        Assert.Null(kept.ReleasedAt);
        Assert.Equal(0, await fixture.OutboxRowsOfAsync(holdId));
        Assert.Empty(fixture.ErasureOrders.For(holdId));

        // Midnight in Helsinki is 22:00 UTC of the same UTC day: the Finnish calendar, not UTC's, lets the data go.
        fixture.Clock.SetUtcNow(finnishMidnight);
        Assert.Equal(lastDay, DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime));
        var released = await fixture.SweepNowAsync();

        Assert.InRange(released, 1, int.MaxValue);
        var hold = await fixture.HoldAsync(holdId);
        Assert.Equal(LegalHoldStatus.Released, hold.Status);
        Assert.Equal(finnishMidnight, hold.ReleasedAt);
        Assert.True(await RetentionFixture.EventuallyAsync(() => Task.FromResult(fixture.ErasureOrders.For(holdId).Count > 0), RetentionFixture.Delivery),
            "The register was not told that the retention period ended.");
        Assert.Equal(new RetentionPeriodEnded(holdId, subjectId, TestData.Register, "accounting-vouchers", lastDay, "invoices"), fixture.ErasureOrders.For(holdId)[0]);

        // A later sweep finds nothing more to do for it, and the register was told exactly once.
        await fixture.SweepNowAsync();
        Assert.True(await RetentionFixture.EventuallyAsync(async () => await fixture.OutboxRowsOfAsync(holdId) == 0, RetentionFixture.Delivery));
        await Task.Delay(500);
        Assert.Single(fixture.ErasureOrders.For(holdId));
        Assert.Equal(finnishMidnight, (await fixture.HoldAsync(holdId)).ReleasedAt);
    }

    [Fact]
    public async Task Sweeps_running_at_the_same_moment_release_each_due_hold_once()
    {
        var requestId = Guid.NewGuid();
        var retained = Enumerable.Range(0, 60)
            .Select(_ => TestData.Invoices(Guid.NewGuid(), fixture.Today.AddDays(-1)))
            .ToArray();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId, retained));
        var holds = await fixture.HoldsOfRequestAsync(requestId);
        Assert.Equal(60, holds.Count);

        var released = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(fixture.SweepNowAsync)));

        Assert.InRange(released.Sum(), 60, int.MaxValue);
        Assert.All(await fixture.HoldsOfRequestAsync(requestId), hold => Assert.Equal(LegalHoldStatus.Released, hold.Status));
        Assert.True(await RetentionFixture.EventuallyAsync(
            () => Task.FromResult(holds.All(h => fixture.ErasureOrders.For(h.Id).Count > 0)), RetentionFixture.Delivery),
            "Not every released hold's register was told.");
        Assert.True(await RetentionFixture.EventuallyAsync(
            async () => (await Task.WhenAll(holds.Select(h => fixture.OutboxRowsOfAsync(h.Id)))).Sum() == 0, RetentionFixture.Delivery));
        await Task.Delay(500);
        Assert.All(holds, hold => Assert.Single(fixture.ErasureOrders.For(hold.Id)));
    }
}
