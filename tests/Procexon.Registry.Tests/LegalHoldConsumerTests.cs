using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Registry.Model;
using Procexon.Testing;

namespace Procexon.Registry.Tests;

/// <summary>Legal holds placed by people (Art 17(3)(e)): what an erasure keeps under them, and what their lifting erases.</summary>
[Collection(RegistryCollection.Name)]
public sealed class LegalHoldConsumerTests(RegistryFixture fixture)
{
    private static readonly TimeSpan s_delivery = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Erasure_keeps_what_a_hold_covers_in_the_held_register_and_answers_retained_under_legal_hold()
    {
        var (subjectId, email) = await AddSubjectAsync(("customers", "basic-data"), ("email-archive", "correspondence"), ("accounting-payroll", "accounting-material"));
        var holdId = await PlaceAsync(subjectId, "email-archive");

        var answers = await EraseAsync(email);

        var archive = answers["email-archive"];
        Assert.Equal(ErasureOutcomes.RetainedUnderLegalHold, archive.Outcome);
        Assert.Equal(0, archive.RecordsErased);
        var held = Assert.Single(archive.Held!);
        Assert.Equal((subjectId, "correspondence", holdId, LegalHoldBases.LegalClaims, 1), (held.SubjectId, held.Category, held.HoldId, held.Basis, held.Records));
        Assert.Empty(archive.Retained);
        Assert.Equal(ErasureOutcomes.Erased, answers["customers"].Outcome);
        Assert.Empty(answers["customers"].Held!);
        Assert.Equal(ErasureOutcomes.RetainedUnderLaw, answers["accounting-payroll"].Outcome);
        var kept = await fixture.InDatabaseAsync(db => db.Records.AsNoTracking().SingleAsync(r => r.SubjectId == subjectId && r.Register == "email-archive"));
        Assert.Equal((RecordState.Restricted, holdId, (string?)null), (kept.State, kept.LegalHoldId, kept.RetentionRule));
        Assert.Equal(0, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId && r.Register == "customers")));
    }

    [Fact]
    public async Task Lifting_erases_what_the_hold_kept_once_under_redelivery_and_leaves_what_a_statute_keeps()
    {
        var (subjectId, email) = await AddSubjectAsync(("email-archive", "correspondence"), ("email-archive", "correspondence"), ("accounting-payroll", "accounting-material"));
        var holdId = await PlaceAsync(subjectId, register: null);
        await EraseAsync(email);
        var lifted = new LegalHoldLifted(holdId, subjectId, null, LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow);

        await PublishTwiceAsync(lifted, Guid.NewGuid());
        // Published again under a new id (a replay): the hold is lifted already and nothing happens twice.
        await PublishTwiceAsync(lifted, Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<HeldDataErased>().Any(e => e.HoldId == holdId)));
        await Task.Delay(1500);
        var erased = Assert.Single(fixture.Seen.All<HeldDataErased>(), e => e.HoldId == holdId);
        Assert.Equal((2, 0), (erased.RecordsErased, erased.RecordsStillHeld));
        Assert.Equal(0, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId && r.Register == "email-archive")));
        // The accounting voucher is the statute's until its period ends; the hold never had it.
        var voucher = await fixture.InDatabaseAsync(db => db.Records.AsNoTracking().SingleAsync(r => r.SubjectId == subjectId));
        Assert.Equal(("accounting-vouchers", (Guid?)null), (voucher.RetentionRule, voucher.LegalHoldId));
    }

    [Fact]
    public async Task After_the_lifting_a_subject_left_without_records_is_removed()
    {
        var (subjectId, email) = await AddSubjectAsync(("customers", "basic-data"));
        var holdId = await PlaceAsync(subjectId, "customers");
        await EraseAsync(email);
        Assert.Equal(1, await fixture.SubjectsLeftAsync([subjectId], TimeSpan.Zero));

        await PublishTwiceAsync(new LegalHoldLifted(holdId, subjectId, "customers", LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow), Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<HeldDataErased>().Any(e => e.HoldId == holdId)));
        Assert.Equal(0, await fixture.SubjectsLeftAsync([subjectId]));
    }

    [Fact]
    public async Task Lifting_one_of_two_holds_moves_its_records_to_the_other_and_erases_the_rest()
    {
        var (subjectId, email) = await AddSubjectAsync(("customers", "basic-data"), ("contacts", "basic-data"));
        var everywhere = await PlaceAsync(subjectId, register: null);
        var customers = await PlaceAsync(subjectId, "customers");
        await EraseAsync(email);

        await PublishTwiceAsync(new LegalHoldLifted(everywhere, subjectId, null, LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow), Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<HeldDataErased>().Any(e => e.HoldId == everywhere)));
        var first = fixture.Seen.All<HeldDataErased>().Single(e => e.HoldId == everywhere);
        Assert.Equal((1, 1), (first.RecordsErased, first.RecordsStillHeld));
        var left = await fixture.InDatabaseAsync(db => db.Records.AsNoTracking().SingleAsync(r => r.SubjectId == subjectId));
        Assert.Equal(("customers", (Guid?)customers), (left.Register, left.LegalHoldId));

        await PublishTwiceAsync(new LegalHoldLifted(customers, subjectId, "customers", LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow), Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<HeldDataErased>().Any(e => e.HoldId == customers)));
        Assert.Equal(1, fixture.Seen.All<HeldDataErased>().Single(e => e.HoldId == customers).RecordsErased);
        Assert.Equal(0, await fixture.SubjectsLeftAsync([subjectId]));
    }

    [Fact]
    public async Task A_lifting_that_overtakes_its_placement_leaves_no_hold_in_force()
    {
        var (subjectId, email) = await AddSubjectAsync(("customers", "basic-data"));
        var holdId = Guid.NewGuid();
        await PublishTwiceAsync(new LegalHoldLifted(holdId, subjectId, "customers", LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow), Guid.NewGuid());
        Assert.True(await EventuallyAsync(() => fixture.Seen.All<HeldDataErased>().Any(e => e.HoldId == holdId)));

        await PublishTwiceAsync(new LegalHoldPlaced(holdId, subjectId, "customers", LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow), Guid.NewGuid());
        await Task.Delay(1000);
        var answers = await EraseAsync(email);

        Assert.Equal(ErasureOutcomes.Erased, answers["customers"].Outcome);
        Assert.Equal(0, await fixture.SubjectsLeftAsync([subjectId]));
    }

    [Fact]
    public async Task A_statutory_period_that_ends_under_a_hold_leaves_the_records_to_the_hold_until_it_is_lifted()
    {
        var (subjectId, email) = await AddSubjectAsync(("accounting-payroll", "accounting-material"));
        var answers = await EraseAsync(email);
        var retained = Assert.Single(answers["accounting-payroll"].Retained);
        var holdId = await PlaceAsync(subjectId, "accounting-payroll");
        var statutoryHoldId = Guid.NewGuid();

        await PublishTwiceAsync(new RetentionPeriodEnded(
            statutoryHoldId, subjectId, "accounting-payroll", retained.RetentionRule, retained.RetainUntil, retained.Category), Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RetainedDataErased>().Any(e => e.HoldId == statutoryHoldId)));
        var ended = Assert.Single(fixture.Seen.All<RetainedDataErased>(), e => e.HoldId == statutoryHoldId);
        Assert.Equal((0, 1), (ended.RecordsErased, ended.RecordsKeptUnderLegalHold));
        var kept = await fixture.InDatabaseAsync(db => db.Records.AsNoTracking().SingleAsync(r => r.SubjectId == subjectId));
        Assert.Equal((RecordState.Restricted, (Guid?)holdId, (string?)null), (kept.State, kept.LegalHoldId, kept.RetentionRule));

        await PublishTwiceAsync(new LegalHoldLifted(holdId, subjectId, "accounting-payroll", LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow), Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<HeldDataErased>().Any(e => e.HoldId == holdId)));
        Assert.Equal(1, fixture.Seen.All<HeldDataErased>().Single(e => e.HoldId == holdId).RecordsErased);
        Assert.Equal(0, await fixture.SubjectsLeftAsync([subjectId]));
    }

    /// <summary>Places a hold as Retention announces it, delivered twice, and waits until the Registry has it.</summary>
    private async Task<Guid> PlaceAsync(Guid subjectId, string? register)
    {
        var holdId = Guid.CreateVersion7();
        await PublishTwiceAsync(new LegalHoldPlaced(holdId, subjectId, register, LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow), Guid.NewGuid());
        Assert.True(await Eventually.EventuallyAsync(
            async () => await fixture.CountAsync(db => db.Set<LegalHoldInForce>().Where(h => h.HoldId == holdId)) == 1, s_delivery));
        return holdId;
    }

    /// <summary>An erasure request for the subject; every holding register's answer, by register.</summary>
    private async Task<Dictionary<string, RegisterErasureOutcome>> EraseAsync(string email)
    {
        var requestId = Guid.NewGuid();
        await PublishTwiceAsync(new ErasureRequested(requestId, RegistryFixture.Hashes(new SubjectKeys(Email: email)), DateTimeOffset.UtcNow), Guid.NewGuid());
        Assert.True(await EventuallyAsync(() => fixture.Seen.All<ErasureScopeResolved>().Any(s => s.RequestId == requestId)));
        var heldIn = fixture.Seen.All<ErasureScopeResolved>().First(s => s.RequestId == requestId).HeldIn.Count;
        Assert.True(await EventuallyAsync(() => fixture.RegisterOutcomes().Count(c => c.RequestId == requestId) >= heldIn));
        return fixture.RegisterOutcomes().Where(c => c.RequestId == requestId).ToDictionary(c => c.Register);
    }

    private async Task<(Guid SubjectId, string Email)> AddSubjectAsync(params (string Register, string Category)[] records)
    {
        var email = $"held-{Guid.NewGuid():N}@example.fi";
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
