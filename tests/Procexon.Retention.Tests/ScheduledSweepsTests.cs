using Procexon.Retention.Model;

namespace Procexon.Retention.Tests;

[Collection(RetentionCollection.Name)]
public sealed class ScheduledSweepsTests(RetentionFixture fixture)
{
    [Fact]
    public async Task Scheduled_sweep_releases_a_due_hold_once_the_clock_passes_the_sweep_interval()
    {
        Assert.Equal(TimeSpan.FromHours(1), fixture.SweepInterval);
        var requestId = Guid.NewGuid();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId, TestData.Payslips(Guid.NewGuid(), fixture.Today.AddDays(-1))));
        var holdId = (await fixture.HoldsOfRequestAsync(requestId)).Single().Id;
        var sweepsBefore = fixture.ScheduledSweeps.LastSweep!.Number;

        // Real time passes, the service's clock does not: no sweep comes.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(sweepsBefore, fixture.ScheduledSweeps.LastSweep!.Number);
        Assert.Equal(LegalHoldStatus.Scheduled, (await fixture.HoldAsync(holdId)).Status);

        fixture.Clock.Advance(fixture.SweepInterval);

        Assert.True(await RetentionFixture.EventuallyAsync(
            async () => (await fixture.HoldAsync(holdId)).Status == LegalHoldStatus.Released, RetentionFixture.Delivery),
            "The scheduled sweep did not release the due hold after the clock passed the interval.");
        // The sweep commits the release before it records its outcome, so the outcome may trail the hold's status.
        Assert.True(await RetentionFixture.EventuallyAsync(
            () => Task.FromResult(fixture.ScheduledSweeps.LastSweep!.Number > sweepsBefore), RetentionFixture.Delivery),
            "The release did not come from a scheduled sweep.");
        Assert.True(await RetentionFixture.EventuallyAsync(
            () => Task.FromResult(fixture.ErasureOrders.For(holdId).Count == 1), RetentionFixture.Delivery));
    }
}
