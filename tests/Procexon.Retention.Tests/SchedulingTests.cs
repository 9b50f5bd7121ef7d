using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Retention.Infrastructure;
using Procexon.Retention.Model;

namespace Procexon.Retention.Tests;

[Collection(RetentionCollection.Name)]
public sealed class SchedulingTests(RetentionFixture fixture)
{
    private static readonly DateOnly s_endOf2032 = new(2032, 12, 31);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_item_retained_under_the_Accounting_Act_becomes_a_scheduled_hold(bool fromItsOwnQueue)
    {
        var subjectId = Guid.NewGuid();
        var requestId = Guid.NewGuid();

        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId,
            TestData.Invoices(subjectId, s_endOf2032, records: 4),
            TestData.Payslips(subjectId, new DateOnly(2031, 12, 31), records: 12)), fromItsOwnQueue: fromItsOwnQueue);

        var holds = await fixture.HoldsOfRequestAsync(requestId);
        Assert.Equal(2, holds.Count);
        Assert.All(holds, hold =>
        {
            Assert.Equal(7, hold.Id.Version);
            Assert.Equal(subjectId, hold.SubjectId);
            Assert.Equal(TestData.Register, hold.Register);
            Assert.Equal(TestData.AccountingAct.Fi, hold.StatuteFi);
            Assert.Equal(TestData.AccountingAct.En, hold.StatuteEn);
            Assert.Equal(LegalHoldStatus.Scheduled, hold.Status);
            Assert.Equal(fixture.Clock.GetUtcNow(), hold.CreatedAt);
            Assert.Null(hold.ReleasedAt);
            Assert.Null(hold.ErasedAt);
        });
        var payslips = holds[0];
        Assert.Equal(("payslips", "payroll-vouchers", new DateOnly(2031, 12, 31), 12),
            (payslips.Category, payslips.RetentionRule, payslips.RetainUntil, payslips.Records));
        var invoices = holds[1];
        Assert.Equal(("invoices", "accounting-vouchers", s_endOf2032, 4),
            (invoices.Category, invoices.RetentionRule, invoices.RetainUntil, invoices.Records));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Answer_delivered_twice_schedules_its_holds_once(bool fromItsOwnQueue)
    {
        var subjectId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        var answer = TestData.RetainedUnderLaw(requestId, TestData.Invoices(subjectId, s_endOf2032), TestData.Payslips(subjectId, s_endOf2032));
        var messageId = Guid.NewGuid();

        await fixture.AnswerAsync(answer, messageId, fromItsOwnQueue);
        await fixture.AnswerAsync(answer, messageId, fromItsOwnQueue);

        Assert.Equal(2, fixture.Consumed.TimesConsumed(messageId));
        Assert.Equal(2, (await fixture.HoldsOfRequestAsync(requestId)).Count);
    }

    [Fact]
    public async Task Same_answer_published_again_under_a_new_message_id_schedules_nothing_new()
    {
        var subjectId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        var answer = TestData.RetainedUnderLaw(requestId, TestData.Invoices(subjectId, s_endOf2032), TestData.Payslips(subjectId, s_endOf2032));

        await fixture.AnswerAsync(answer);
        var first = await fixture.HoldsOfRequestAsync(requestId);
        await fixture.AnswerAsync(answer);

        Assert.Equal(first.Select(h => h.Id), (await fixture.HoldsOfRequestAsync(requestId)).Select(h => h.Id));
    }

    [Fact]
    public async Task Same_answer_in_the_scope_and_again_from_the_register_s_own_queue_schedules_its_holds_once()
    {
        // Two consumers, one per event, share the holds: the second finds what the first scheduled.
        var subjectId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        var answer = TestData.RetainedUnderLaw(requestId, TestData.Invoices(subjectId, s_endOf2032), TestData.Payslips(subjectId, s_endOf2032));

        await fixture.AnswerAsync(answer);
        var first = await fixture.HoldsOfRequestAsync(requestId);
        await fixture.AnswerAsync(answer, fromItsOwnQueue: true);

        Assert.Equal(2, first.Count);
        Assert.Equal(first.Select(h => h.Id), (await fixture.HoldsOfRequestAsync(requestId)).Select(h => h.Id));
    }

    [Fact]
    public async Task Same_category_kept_until_two_different_days_is_two_holds_that_go_on_their_own_days()
    {
        var subjectId = Guid.NewGuid();
        var requestId = Guid.NewGuid();

        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId,
            TestData.Invoices(subjectId, new DateOnly(2030, 12, 31), records: 2),
            TestData.Invoices(subjectId, s_endOf2032, records: 5)));

        var holds = await fixture.HoldsOfRequestAsync(requestId);
        Assert.Equal(new[] { (new DateOnly(2030, 12, 31), 2), (s_endOf2032, 5) }, holds.Select(h => (h.RetainUntil, h.Records)));
    }

    [Fact]
    public async Task Database_refuses_a_second_hold_for_the_same_data_of_the_same_request()
    {
        var subjectId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId, TestData.Invoices(subjectId, s_endOf2032)));
        var existing = (await fixture.HoldsOfRequestAsync(requestId)).Single();

        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => fixture.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RetentionContext>();
            db.LegalHolds.Add(new LegalHold
            {
                Id = Guid.CreateVersion7(),
                SubjectId = existing.SubjectId,
                Register = existing.Register,
                RetentionRule = existing.RetentionRule,
                Category = existing.Category,
                StatuteFi = existing.StatuteFi,
                StatuteEn = existing.StatuteEn,
                RetainUntil = existing.RetainUntil,
                RequestId = existing.RequestId,
                Records = existing.Records,
                CreatedAt = fixture.Clock.GetUtcNow(),
            });
            return await db.SaveChangesAsync();
        }));

        Assert.Equal("23505", (refused.InnerException as Npgsql.PostgresException)?.SqlState);
        Assert.Single(await fixture.HoldsOfRequestAsync(requestId));
    }
}
