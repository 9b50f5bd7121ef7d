using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Procexon.Contracts;
using Procexon.Retention.Model;

namespace Procexon.Retention.Tests;

[Collection(RetentionCollection.Name)]
public sealed class ErasureTests(RetentionFixture fixture)
{
    [Fact]
    public async Task Released_hold_is_closed_as_erased_when_the_register_reports_the_data_gone()
    {
        var subjectId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId, TestData.Payslips(subjectId, fixture.Today.AddDays(-1), records: 12)));
        var holdId = (await fixture.HoldsOfRequestAsync(requestId)).Single().Id;

        // An operator does not wait for the hourly sweep.
        using var response = await fixture.Admin.PostAsync(new Uri("/api/retention/sweeps", UriKind.Relative), content: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sweep = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.InRange(sweep.GetProperty("released").GetInt32(), 1, int.MaxValue);
        Assert.Equal(fixture.Clock.GetUtcNow(), sweep.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(LegalHoldStatus.Released, (await fixture.HoldAsync(holdId)).Status);

        // The Registry erases on the order and reports back.
        Assert.True(await RetentionFixture.EventuallyAsync(() => Task.FromResult(fixture.ErasureOrders.For(holdId).Count == 1), RetentionFixture.Delivery));
        var order = fixture.ErasureOrders.For(holdId)[0];
        var erasedAt = fixture.Clock.GetUtcNow().AddMinutes(3);
        // Written in Finnish time by the Registry: the same instant.
        await fixture.ReportErasedAsync(new RetainedDataErased(
            order.HoldId, order.SubjectId, order.Register, order.RetentionRule, 12, erasedAt.ToOffset(TimeSpan.FromHours(2))));

        var hold = await fixture.HoldAsync(holdId);
        Assert.Equal(LegalHoldStatus.Erased, hold.Status);
        Assert.Equal(erasedAt, hold.ErasedAt);
        Assert.NotNull(hold.ReleasedAt);
        var shown = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/retention/holds/{holdId}", UriKind.Relative));
        Assert.Equal("erased", shown.GetProperty("status").GetString());
        Assert.Equal(erasedAt, shown.GetProperty("erasedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_released_hold_whose_data_a_legal_hold_placed_by_a_person_keeps_stays_released()
    {
        var requestId = Guid.NewGuid();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId, TestData.Invoices(Guid.NewGuid(), fixture.Today.AddDays(-1))));
        await fixture.SweepNowAsync();
        var hold = (await fixture.HoldsOfRequestAsync(requestId)).Single();

        await fixture.ReportErasedAsync(new RetainedDataErased(
            hold.Id, hold.SubjectId, hold.Register, hold.RetentionRule, 0, fixture.Clock.GetUtcNow(), RecordsKeptUnderLegalHold: hold.Records));

        var after = await fixture.HoldAsync(hold.Id);
        Assert.Equal(LegalHoldStatus.Released, after.Status);
        Assert.Null(after.ErasedAt);
    }

    [Fact]
    public async Task Second_erasure_report_for_a_hold_keeps_the_first_erasure_time()
    {
        var requestId = Guid.NewGuid();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId, TestData.Invoices(Guid.NewGuid(), fixture.Today.AddDays(-1))));
        await fixture.SweepNowAsync();
        var hold = (await fixture.HoldsOfRequestAsync(requestId)).Single();
        var first = fixture.Clock.GetUtcNow();

        await fixture.ReportErasedAsync(new RetainedDataErased(hold.Id, hold.SubjectId, hold.Register, hold.RetentionRule, hold.Records, first));
        await fixture.ReportErasedAsync(new RetainedDataErased(hold.Id, hold.SubjectId, hold.Register, hold.RetentionRule, 0, first.AddDays(1)));

        Assert.Equal(first, (await fixture.HoldAsync(hold.Id)).ErasedAt);
    }

    [Fact]
    public async Task Erasure_report_for_an_unknown_hold_changes_nothing_and_does_not_block_the_queue()
    {
        var unknown = Guid.NewGuid();

        await fixture.ReportErasedAsync(new RetainedDataErased(unknown, Guid.NewGuid(), TestData.Register, "accounting-vouchers", 1, fixture.Clock.GetUtcNow()));

        using var response = await fixture.Http.GetAsync(new Uri($"/api/retention/holds/{unknown}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
