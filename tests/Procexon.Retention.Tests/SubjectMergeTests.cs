using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Retention.Infrastructure;

namespace Procexon.Retention.Tests;

[Collection(RetentionCollection.Name)]
public sealed class SubjectMergeTests(RetentionFixture fixture)
{
    [Fact]
    public async Task Legal_holds_of_a_merged_duplicate_move_to_the_surviving_subject()
    {
        var (duplicate, survivor, bystander) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var requestId = Guid.NewGuid();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId,
            TestData.Invoices(duplicate, fixture.Today.AddYears(3)), TestData.Payslips(duplicate, fixture.Today.AddYears(5)),
            TestData.Invoices(bystander, fixture.Today.AddYears(3))));

        await MergedAsync(new SubjectsMerged(Guid.NewGuid(), duplicate, survivor, fixture.Clock.GetUtcNow()), Guid.NewGuid());

        var shown = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/retention/holds?subject={survivor}", UriKind.Relative));
        Assert.Equal(["invoices", "payslips"], shown.EnumerateArray().Select(h => h.GetProperty("category").GetString()));
        Assert.Equal(0, await HoldsOfAsync(duplicate));
        Assert.Equal(1, await HoldsOfAsync(bystander));
    }

    [Fact]
    public async Task Legal_holds_a_privacy_officer_placed_on_a_merged_duplicate_move_to_the_surviving_subject()
    {
        var (duplicate, survivor) = (Guid.NewGuid(), Guid.NewGuid());
        using var placed = await fixture.Http.PostAsJsonAsync(new Uri("/api/retention/legal-holds", UriKind.Relative),
            new { subjectId = duplicate, register = "customers", reason = "Claim 2026/17" });
        placed.EnsureSuccessStatusCode();

        await MergedAsync(new SubjectsMerged(Guid.NewGuid(), duplicate, survivor, fixture.Clock.GetUtcNow()), Guid.NewGuid());

        var survivors = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/retention/legal-holds?subject={survivor}", UriKind.Relative));
        var duplicates = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/retention/legal-holds?subject={duplicate}", UriKind.Relative));
        Assert.Equal("customers", Assert.Single(survivors.EnumerateArray()).GetProperty("register").GetString());
        Assert.Empty(duplicates.EnumerateArray());
    }

    [Fact]
    public async Task Same_merge_delivered_twice_moves_only_what_the_first_delivery_found()
    {
        var (duplicate, survivor) = (Guid.NewGuid(), Guid.NewGuid());
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(Guid.NewGuid(), TestData.Invoices(duplicate, fixture.Today.AddYears(3))));
        var merged = new SubjectsMerged(Guid.NewGuid(), duplicate, survivor, fixture.Clock.GetUtcNow());
        var messageId = Guid.NewGuid();
        await MergedAsync(merged, messageId);
        // Something that names the old id after the merge (an answer in flight) is not the redelivery's business.
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(Guid.NewGuid(), TestData.Payslips(duplicate, fixture.Today.AddYears(5))));

        await MergedAsync(merged, messageId);

        Assert.Equal(1, await HoldsOfAsync(survivor));
        Assert.Equal(1, await HoldsOfAsync(duplicate));
    }

    [Fact]
    public async Task Hold_the_survivor_already_has_for_the_same_request_stays_on_the_duplicate_and_nothing_fails()
    {
        var (duplicate, survivor) = (Guid.NewGuid(), Guid.NewGuid());
        var requestId = Guid.NewGuid();
        var until = fixture.Today.AddYears(3);
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId,
            TestData.Invoices(duplicate, until), TestData.Invoices(survivor, until), TestData.Payslips(duplicate, until)));

        await MergedAsync(new SubjectsMerged(Guid.NewGuid(), duplicate, survivor, fixture.Clock.GetUtcNow()), Guid.NewGuid());

        Assert.Equal(2, await HoldsOfAsync(survivor));
        Assert.Equal(1, await HoldsOfAsync(duplicate));
    }

    private async Task MergedAsync(SubjectsMerged merged, Guid messageId)
    {
        var before = fixture.Consumed.TimesConsumed(messageId);
        await fixture.Registry.Services.GetRequiredService<IBus>().Publish(merged, context => context.MessageId = messageId);
        await fixture.Consumed.WaitUntilConsumedAsync(messageId, before + 1, RetentionFixture.Delivery);
    }

    private Task<int> HoldsOfAsync(Guid subjectId) => fixture.InScopeAsync(services =>
        services.GetRequiredService<RetentionContext>().LegalHolds.CountAsync(h => h.SubjectId == subjectId));
}
