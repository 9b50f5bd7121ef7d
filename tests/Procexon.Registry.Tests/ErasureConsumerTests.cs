using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Messaging.Inbox;
using Procexon.Registry.IntegrationEvents;
using Procexon.Registry.Model;
using Procexon.Testing;

namespace Procexon.Registry.Tests;

[Collection(RegistryCollection.Name)]
public sealed class ErasureConsumerTests(RegistryFixture fixture)
{
    private static readonly TimeSpan s_delivery = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Erasure_request_delivered_twice_resolves_the_scope_once()
    {
        var (subjectId, email) = await AddSubjectAsync(("customers", "basic-data"), ("contacts", "basic-data"));
        var request = new ErasureRequested(Guid.NewGuid(), RegistryFixture.Hashes(new SubjectKeys(Email: email)), DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        await PublishTwiceAsync(request, messageId);

        Assert.True(await EventuallyAsync(() => fixture.RegisterOutcomes().Count(c => c.RequestId == request.RequestId) == 2));
        await Task.Delay(1000);
        var scope = Assert.Single(fixture.Seen.All<ErasureScopeResolved>(), s => s.RequestId == request.RequestId);
        Assert.Equal([subjectId], scope.SubjectIds);
        Assert.Equal(["customers", "contacts"], scope.HeldIn.Select(r => r.Register));
        Assert.Equal(8, scope.NotHeldIn.Count);
        // Both registers answer with the scope, in one event: none of their own.
        Assert.Equal(["customers", "contacts"], scope.Answered!.Select(a => a.Register));
        Assert.DoesNotContain(fixture.Seen.All<ErasureCompleted>(), e => e.RequestId == request.RequestId);
        Assert.Equal(2, fixture.RegisterOutcomes().Count(c => c.RequestId == request.RequestId));
        Assert.Equal(0, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId)));
        Assert.Equal(0, await fixture.SubjectsLeftAsync([subjectId]));
    }

    [Fact]
    public async Task A_redelivered_erasure_request_removes_the_subject_a_crash_left_without_records_and_answers_nothing_twice()
    {
        // As if the erasure's transaction committed (every record erased, the message in the inbox) and the process died
        // before the step after the commit that removes subjects held nowhere any more.
        var (subjectId, email) = await AddSubjectAsync(("customers", "basic-data"), ("contacts", "basic-data"));
        var request = new ErasureRequested(Guid.NewGuid(), RegistryFixture.Hashes(new SubjectKeys(Email: email)), DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();
        await fixture.InDatabaseAsync(async db =>
        {
            db.Records.RemoveRange(await db.Records.Where(r => r.SubjectId == subjectId).ToListAsync());
            db.Set<InboxMessage>().Add(new InboxMessage { MessageId = messageId, Consumer = nameof(ResolveErasureScope), ProcessedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        Assert.Equal(1, await fixture.CountAsync(db => db.Subjects.Where(s => s.Id == subjectId)));

        await fixture.Probe.Services.GetRequiredService<IBus>().Publish(request, c => c.MessageId = messageId);

        // The duplicate finds its subject again by the request's hashes and removes it; it publishes nothing again.
        Assert.Equal(0, await fixture.SubjectsLeftAsync([subjectId]));
        Assert.DoesNotContain(fixture.Seen.All<ErasureScopeResolved>(), s => s.RequestId == request.RequestId);
        Assert.DoesNotContain(fixture.RegisterOutcomes(), c => c.RequestId == request.RequestId);
    }

    [Fact]
    public async Task Erasure_in_a_register_delivered_twice_erases_once_and_answers_once()
    {
        var (subjectId, _) = await AddSubjectAsync(("accounting-payroll", "accounting-material"), ("marketing", "direct-marketing"));
        var requestId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var send = await fixture.Probe.Services.GetRequiredService<ISendEndpointProvider>()
            .GetSendEndpoint(new Uri("exchange:registry-erasure-accounting-payroll"));

        await send.Send(new EraseSubjectInRegister(requestId, [subjectId], "accounting-payroll"), c => c.MessageId = messageId);
        await send.Send(new EraseSubjectInRegister(requestId, [subjectId], "accounting-payroll"), c => c.MessageId = messageId);

        Assert.True(await EventuallyAsync(() => fixture.RegisterOutcomes().Any(c => c.RequestId == requestId)));
        await Task.Delay(1000);
        var completed = Assert.Single(fixture.RegisterOutcomes(), c => c.RequestId == requestId);
        Assert.Equal(ErasureOutcomes.RetainedUnderLaw, completed.Outcome);
        Assert.Equal(1, await fixture.CountAsync(db => db.Erasures.Where(e => e.RequestId == requestId)));
        var kept = await fixture.InDatabaseAsync(db => db.Records.SingleAsync(r => r.SubjectId == subjectId && r.Register == "accounting-payroll"));
        Assert.Equal(RecordState.Restricted, kept.State);
        // The marketing record is another register's business: untouched by this command.
        Assert.Equal(1, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId && r.Register == "marketing")));
    }

    [Fact]
    public async Task End_of_a_retention_period_delivered_twice_erases_the_retained_data_once_and_then_the_subject()
    {
        var (subjectId, email) = await AddSubjectAsync(("accounting-payroll", "accounting-material"));
        var requestId = Guid.NewGuid();
        await PublishTwiceAsync(new ErasureRequested(requestId, RegistryFixture.Hashes(new SubjectKeys(Email: email)), DateTimeOffset.UtcNow), Guid.NewGuid());
        Assert.True(await EventuallyAsync(() => fixture.RegisterOutcomes().Any(c => c.RequestId == requestId)));
        var retained = Assert.Single(fixture.RegisterOutcomes().Single(c => c.RequestId == requestId).Retained);

        var holdId = Guid.NewGuid();
        await PublishTwiceAsync(new RetentionPeriodEnded(holdId, subjectId, "accounting-payroll", retained.RetentionRule, retained.RetainUntil), Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RetainedDataErased>().Any(e => e.HoldId == holdId)));
        await Task.Delay(1000);
        Assert.Equal(1, Assert.Single(fixture.Seen.All<RetainedDataErased>(), e => e.HoldId == holdId).RecordsErased);
        Assert.Equal(0, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId)));
        Assert.Equal(0, await fixture.SubjectsLeftAsync([subjectId]));
    }

    [Fact]
    public async Task Two_holds_of_the_same_rule_and_day_in_different_categories_each_erase_and_report_their_own_records()
    {
        // Both are accounting vouchers of the same day: one rule, one date, two categories, so two holds.
        var (subjectId, email) = await AddSubjectAsync(("accounting-payroll", "accounting-material"), ("accounting-payroll", "customer-contract"));
        var requestId = Guid.NewGuid();
        await PublishTwiceAsync(new ErasureRequested(requestId, RegistryFixture.Hashes(new SubjectKeys(Email: email)), DateTimeOffset.UtcNow), Guid.NewGuid());
        Assert.True(await EventuallyAsync(() => fixture.RegisterOutcomes().Any(c => c.RequestId == requestId)));
        var retained = fixture.RegisterOutcomes().Single(c => c.RequestId == requestId).Retained;
        Assert.Equal(["accounting-material", "customer-contract"], retained.Select(r => r.Category).Order());
        Assert.Single(retained.Select(r => (r.RetentionRule, r.RetainUntil)).Distinct());

        var holds = retained.Select(r => (HoldId: Guid.NewGuid(), Retained: r)).ToList();
        foreach (var (holdId, data) in holds)
        {
            await PublishTwiceAsync(
                new RetentionPeriodEnded(holdId, subjectId, "accounting-payroll", data.RetentionRule, data.RetainUntil, data.Category), Guid.NewGuid());
            Assert.True(await EventuallyAsync(() => fixture.Seen.All<RetainedDataErased>().Any(e => e.HoldId == holdId)));
        }

        Assert.All(holds, hold => Assert.Equal(1, fixture.Seen.All<RetainedDataErased>().Single(e => e.HoldId == hold.HoldId).RecordsErased));
        Assert.Equal(0, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId)));
        Assert.Equal(0, await fixture.SubjectsLeftAsync([subjectId]));
    }

    [Fact]
    public async Task Marketing_erasure_leaves_only_a_keyed_hash_of_the_address()
    {
        var (subjectId, email) = await AddSubjectAsync(("marketing", "direct-marketing"));
        var requestId = Guid.NewGuid();
        await PublishTwiceAsync(new ErasureRequested(requestId, RegistryFixture.Hashes(new SubjectKeys(Email: email)), DateTimeOffset.UtcNow), Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.RegisterOutcomes().Any(c => c.RequestId == requestId)));
        var keys = fixture.Registry.Services.GetRequiredService<SuppressionKeys>();
        var hash = keys.For(email, null).Single().Hash;
        Assert.Equal(1, await fixture.CountAsync(db => db.SuppressionEntries.Where(e => e.KeyHash == hash)));
        Assert.DoesNotContain(email, hash, StringComparison.Ordinal);
        Assert.Equal(0, await fixture.SubjectsLeftAsync([subjectId]));
    }

    [Fact]
    public async Task A_request_hashed_with_another_lookup_key_is_refused_not_answered_as_not_held()
    {
        var (subjectId, email) = await AddSubjectAsync(("customers", "basic-data"));
        var (controlId, controlEmail) = await AddSubjectAsync(("customers", "basic-data"));
        var otherKey = new SubjectKeyHasher(RegistryFixture.IdentifierKey + "-not-the-registry's");
        var refused = new ErasureRequested(Guid.NewGuid(), otherKey.HashesOf(new SubjectKeys(Email: email)), DateTimeOffset.UtcNow);
        var control = new ErasureRequested(Guid.NewGuid(), RegistryFixture.Hashes(new SubjectKeys(Email: controlEmail)), DateTimeOffset.UtcNow);

        await PublishTwiceAsync(refused, Guid.NewGuid());
        await PublishTwiceAsync(control, Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.RegisterOutcomes().Any(c => c.RequestId == control.RequestId)));
        Assert.Equal(0, await fixture.SubjectsLeftAsync([controlId]));
        await Task.Delay(2000);
        // Hashes under another key would match nobody: a scope "held nowhere" would tell the requester they were erased.
        Assert.DoesNotContain(fixture.Seen.All<ErasureScopeResolved>(), s => s.RequestId == refused.RequestId);
        Assert.Equal(1, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId)));
    }

    private async Task<(Guid SubjectId, string Email)> AddSubjectAsync(params (string Register, string Category)[] records)
    {
        var email = $"subject-{Guid.NewGuid():N}@example.fi";
        var subjectId = Guid.CreateVersion7();
        await fixture.InDatabaseAsync(async db =>
        {
            db.Subjects.Add(new Subject { Id = subjectId, Email = email, CreatedAt = DateTimeOffset.UtcNow });
            foreach (var (register, category) in records)
            {
                db.Records.Add(new RegisterRecord
                {
                    Id = Guid.CreateVersion7(),
                    SubjectId = subjectId,
                    Register = register,
                    Category = category,
                    Fields = new Dictionary<string, string> { ["note"] = "test" },
                    RecordedOn = new DateOnly(2025, 3, 10),
                    CreatedAt = DateTimeOffset.UtcNow,
                });
            }

            return await db.SaveChangesAsync();
        });
        return (subjectId, email);
    }

    private async Task PublishTwiceAsync<T>(T message, Guid messageId) where T : class
    {
        var bus = fixture.Probe.Services.GetRequiredService<IBus>();
        await bus.Publish(message, c => c.MessageId = messageId);
        await bus.Publish(message, c => c.MessageId = messageId);
    }

    private static Task<bool> EventuallyAsync(Func<bool> condition) => Eventually.EventuallyAsync(condition, s_delivery);
}
