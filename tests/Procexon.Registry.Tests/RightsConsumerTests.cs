using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Registry.Model;
using Procexon.Testing;

namespace Procexon.Registry.Tests;

[Collection(RegistryCollection.Name)]
public sealed class RightsConsumerTests(RegistryFixture fixture)
{
    private static readonly TimeSpan s_delivery = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Access_request_delivered_twice_resolves_the_scope_once_and_each_register_answers_once_with_its_records()
    {
        var (subjectId, email) = await AddSubjectAsync(("customers", "customer-contract"), ("accounting-payroll", "accounting-material"));
        var request = new SubjectRightRequested(Guid.NewGuid(), SubjectRights.Access, RegistryFixture.Hashes(new SubjectKeys(Email: email)), [], DateTimeOffset.UtcNow);

        await PublishTwiceAsync(request, Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RegisterRightCompleted>().Count(c => c.RequestId == request.RequestId) == 2));
        await Task.Delay(1000);
        var scope = Assert.Single(fixture.Seen.All<SubjectRightScopeResolved>(), s => s.RequestId == request.RequestId);
        Assert.Equal(["customers", "accounting-payroll"], scope.HeldIn.Select(r => r.Register));
        Assert.Equal(8, scope.NotHeldIn.Count);
        Assert.Equal(email, Assert.Single(scope.Identifiers).Email);
        var answers = fixture.Seen.All<RegisterRightCompleted>().Where(c => c.RequestId == request.RequestId).ToDictionary(c => c.Register);
        Assert.Equal(2, answers.Count);
        var accounting = answers["accounting-payroll"];
        Assert.Equal(RightOutcomes.Disclosed, accounting.Outcome);
        var record = Assert.Single(accounting.Records);
        Assert.Equal(("accounting-material", "law", "active", "test"), (record.Category, record.LegalBasis, record.State, record.Fields["note"]));
        Assert.NotNull(accounting.Processing);
        Assert.Contains(accounting.Processing!.Categories, c => c.Category == "accounting-material" && c.LegalBasis == "law");
        // Access reads; it changes nothing.
        Assert.Equal(2, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId && r.State == RecordState.Active)));
    }

    [Fact]
    public async Task Portability_in_a_register_leaves_out_what_rests_on_law_or_legitimate_interest()
    {
        var (subjectId, _) = await AddSubjectAsync(("web-users", "credentials"), ("web-users", "usage-data"));
        var requestId = Guid.NewGuid();

        await SendTwiceAsync("web-users", new ExerciseRightInRegister(requestId, SubjectRights.Portability, [subjectId], RegistryFixture.Hashes(new SubjectKeys()), "web-users", []));

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RegisterRightCompleted>().Any(c => c.RequestId == requestId)));
        await Task.Delay(1000);
        var answer = Assert.Single(fixture.Seen.All<RegisterRightCompleted>(), c => c.RequestId == requestId);
        Assert.Equal(RightOutcomes.Exported, answer.Outcome);
        Assert.Equal("credentials", Assert.Single(answer.Records).Category);
        Assert.Null(answer.Processing);
        Assert.Contains("GDPR Art 20", answer.Note!.En, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restriction_in_a_register_delivered_twice_restricts_once_and_blocks_until_lifting_delivered_twice_releases_once()
    {
        var (subjectId, _) = await AddSubjectAsync(("customers", "basic-data"), ("customers", "customer-contract"));
        // A record already kept under law stays restricted by its retention when the request's restriction is lifted.
        var retained = await AddRecordAsync(subjectId, "customers", "customer-contract", RecordState.Restricted, "contract-duration");
        var requestId = Guid.NewGuid();

        await SendTwiceAsync("customers", new ExerciseRightInRegister(requestId, SubjectRights.Restriction, [subjectId], RegistryFixture.Hashes(new SubjectKeys()), "customers", []));

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RegisterRightCompleted>().Any(c => c.RequestId == requestId)));
        await Task.Delay(1000);
        var answer = Assert.Single(fixture.Seen.All<RegisterRightCompleted>(), c => c.RequestId == requestId);
        Assert.Equal((RightOutcomes.Restricted, 3), (answer.Outcome, answer.RecordsAffected));
        var restriction = await fixture.InDatabaseAsync(db => db.Set<SubjectRestriction>().SingleAsync(r => r.RequestId == requestId));
        Assert.Equal(2, restriction.RecordIds.Count);
        Assert.DoesNotContain(retained, restriction.RecordIds);
        Assert.Equal(3, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId && r.State == RecordState.Restricted)));

        await PublishTwiceAsync(new RestrictionLiftingRequested(requestId, "Accuracy verified", DateTimeOffset.UtcNow), Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RestrictionLifted>().Any(c => c.RequestId == requestId)));
        await Task.Delay(1000);
        var lifted = Assert.Single(fixture.Seen.All<RestrictionLifted>(), c => c.RequestId == requestId);
        Assert.Equal(["customers"], lifted.Registers);
        Assert.Equal(2, lifted.RecordsReleased);
        Assert.Equal(2, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId && r.State == RecordState.Active)));
        Assert.Equal(RecordState.Restricted, (await fixture.InDatabaseAsync(db => db.Records.SingleAsync(r => r.Id == retained))).State);
    }

    [Fact]
    public async Task Rectification_changes_the_subject_identifiers_once_and_the_matching_record_fields_in_each_register()
    {
        var (subjectId, email) = await AddSubjectAsync(("customers", "basic-data"), ("contacts", "basic-data"));
        var corrected = $"corrected-{Guid.NewGuid():N}@example.fi";
        var request = new SubjectRightRequested(
            Guid.NewGuid(), SubjectRights.Rectification, RegistryFixture.Hashes(new SubjectKeys(Email: email)),
            [new FieldCorrection("email", corrected), new FieldCorrection("note", "corrected")], DateTimeOffset.UtcNow);

        await PublishTwiceAsync(request, Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RegisterRightCompleted>().Count(c => c.RequestId == request.RequestId) == 2));
        await Task.Delay(1000);
        Assert.All(fixture.Seen.All<RegisterRightCompleted>().Where(c => c.RequestId == request.RequestId),
            c => Assert.Equal((RightOutcomes.Rectified, 1), (c.Outcome, c.RecordsAffected)));
        Assert.Equal(request.Corrections, Assert.Single(fixture.Seen.All<SubjectRightScopeResolved>(), s => s.RequestId == request.RequestId).Corrections);
        Assert.Equal(corrected, (await fixture.InDatabaseAsync(db => db.Subjects.SingleAsync(s => s.Id == subjectId))).Email);
        var notes = await fixture.InDatabaseAsync(db => db.Records.Where(r => r.SubjectId == subjectId).Select(r => r.Fields).ToListAsync());
        Assert.All(notes, fields => Assert.Equal("corrected", fields["note"]));
    }

    [Fact]
    public async Task Objection_to_direct_marketing_erases_the_marketing_records_and_suppresses_even_an_address_we_did_not_hold()
    {
        var (subjectId, email) = await AddSubjectAsync(("marketing", "direct-marketing"), ("customers", "customer-contract"));
        var stranger = $"stranger-{Guid.NewGuid():N}@example.fi";
        var held = new SubjectRightRequested(Guid.NewGuid(), SubjectRights.ObjectionToDirectMarketing, RegistryFixture.Hashes(new SubjectKeys(Email: email)), [], DateTimeOffset.UtcNow);
        var notHeld = new SubjectRightRequested(Guid.NewGuid(), SubjectRights.ObjectionToDirectMarketing, RegistryFixture.Hashes(new SubjectKeys(Email: stranger)), [], DateTimeOffset.UtcNow);

        await PublishTwiceAsync(held, Guid.NewGuid());
        await PublishTwiceAsync(notHeld, Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RegisterRightCompleted>().Count(c => c.RequestId == held.RequestId || c.RequestId == notHeld.RequestId) == 2));
        var answer = Assert.Single(fixture.Seen.All<RegisterRightCompleted>(), c => c.RequestId == held.RequestId);
        Assert.Equal(("marketing", RightOutcomes.Suppressed, 1), (answer.Register, answer.Outcome, answer.RecordsAffected));
        Assert.Equal(0, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId && r.Register == "marketing")));
        Assert.Equal(1, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId && r.Register == "customers")));
        var keys = fixture.Registry.Services.GetRequiredService<SuppressionKeys>();
        var hashes = new[] { email, stranger }.Select(e => keys.For(e, null).Single().Hash).ToList();
        Assert.Equal(2, await fixture.CountAsync(db => db.SuppressionEntries.Where(e => hashes.Contains(e.KeyHash))));
    }

    [Fact]
    public async Task Objection_to_direct_marketing_keeps_what_a_legal_hold_covers_restricted_and_says_so()
    {
        var (subjectId, email) = await AddSubjectAsync(("marketing", "direct-marketing"));
        var holdId = await MarketingHoldInForceAsync(subjectId);
        var objection = new SubjectRightRequested(Guid.NewGuid(), SubjectRights.ObjectionToDirectMarketing, RegistryFixture.Hashes(new SubjectKeys(Email: email)), [], DateTimeOffset.UtcNow);

        await PublishTwiceAsync(objection, Guid.NewGuid());

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RegisterRightCompleted>().Any(c => c.RequestId == objection.RequestId)));
        var answer = Assert.Single(fixture.Seen.All<RegisterRightCompleted>(), c => c.RequestId == objection.RequestId);
        Assert.Equal((RightOutcomes.Suppressed, 0), (answer.Outcome, answer.RecordsAffected));
        Assert.Contains("kept for legal claims", answer.Note!.En, StringComparison.Ordinal);
        var kept = await fixture.InDatabaseAsync(db => db.Records.AsNoTracking().SingleAsync(r => r.SubjectId == subjectId));
        Assert.Equal((RecordState.Restricted, (Guid?)holdId), (kept.State, kept.LegalHoldId));
    }

    /// <summary>
    /// An objection to direct marketing and the lifting of a hold on the same subjects at about the same moment: both
    /// take the subject's row and read its holds (holds first, in both), and whichever comes first the marketing records
    /// end erased. PostgreSQL's own deadlock counter for the Registry's database must not move, so a deadlock that the
    /// retries would hide still fails the test. The timing is not forced: the interleaving varies from run to run.
    /// </summary>
    [Fact]
    public async Task An_objection_and_a_holds_lifting_on_the_same_subjects_at_once_never_deadlock_and_both_apply()
    {
        const int Pairs = 24;
        var subjects = new List<(Guid SubjectId, string Email, Guid HoldId)>();
        for (var i = 0; i < Pairs; i++)
        {
            var (subjectId, email) = await AddSubjectAsync(("marketing", "direct-marketing"), ("customers", "customer-contract"));
            var holdId = Guid.CreateVersion7();
            await PublishTwiceAsync(new LegalHoldPlaced(holdId, subjectId, "marketing", LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow), Guid.NewGuid());
            subjects.Add((subjectId, email, holdId));
        }

        var holds = subjects.Select(s => s.HoldId).ToList();
        Assert.True(await Eventually.EventuallyAsync(
            async () => await fixture.CountAsync(db => db.Set<LegalHoldInForce>().Where(h => holds.Contains(h.HoldId))) == Pairs, s_delivery));
        var deadlocksBefore = await DeadlocksAsync();

        var objections = subjects.Select(s => new SubjectRightRequested(
            Guid.NewGuid(), SubjectRights.ObjectionToDirectMarketing, RegistryFixture.Hashes(new SubjectKeys(Email: s.Email)), [], DateTimeOffset.UtcNow)).ToList();
        var bus = fixture.Probe.Services.GetRequiredService<IBus>();
        // The objection reaches the register a hop later than the lifting (its scope is resolved first): each lifting
        // follows its objection by a different delay, so that some of them meet in the register.
        await Task.WhenAll(subjects.Zip(objections).Select(async (pair, i) =>
        {
            await bus.Publish(pair.Second);
            await Task.Delay(TimeSpan.FromMilliseconds(3 * i));
            await bus.Publish(new LegalHoldLifted(pair.First.HoldId, pair.First.SubjectId, "marketing", LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow));
        }));

        var requestIds = objections.Select(o => o.RequestId).ToHashSet();
        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RegisterRightCompleted>().Count(c => requestIds.Contains(c.RequestId)) == Pairs));
        Assert.True(await EventuallyAsync(() => fixture.Seen.All<HeldDataErased>().Select(e => e.HoldId).Distinct().Count(holds.Contains) == Pairs));
        var subjectIds = subjects.Select(s => s.SubjectId).ToList();
        // Whichever came first, the marketing records are gone: erased by the objection, or erased by the lifting of
        // the hold that had kept them from it. The customer records stay.
        Assert.True(await Eventually.EventuallyAsync(
            async () => await fixture.CountAsync(db => db.Records.Where(r => subjectIds.Contains(r.SubjectId) && r.Register == "marketing")) == 0, s_delivery));
        Assert.Equal(Pairs, await fixture.CountAsync(db => db.Records.Where(r => subjectIds.Contains(r.SubjectId) && r.Register == "customers")));
        // PostgreSQL reports a backend's counters within a second of its transaction's end.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(deadlocksBefore, await DeadlocksAsync());
    }

    /// <summary>
    /// The order that makes the test above safe, checked statement by statement so it cannot pass by luck: in the
    /// transaction of an objection to direct marketing and in that of a hold's lifting on the same subject, every lock on
    /// <c>legal_holds</c> is taken before any lock on <c>subjects</c>. (With the subject locked first, as the objection
    /// once did, an objection holding the subject and a lifting holding the hold waited for each other.) The statements
    /// are read from Npgsql's traces of the Registry, which runs in this process.
    /// </summary>
    [Fact]
    public async Task An_objection_and_a_holds_lifting_each_lock_the_holds_before_the_subject()
    {
        var (subjectId, email) = await AddSubjectAsync(("marketing", "direct-marketing"));
        var holdId = await MarketingHoldInForceAsync(subjectId);

        var statements = new System.Collections.Concurrent.ConcurrentQueue<(System.Diagnostics.ActivityTraceId Trace, DateTime Start, string Text)>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string text)
                {
                    statements.Enqueue((activity.TraceId, activity.StartTimeUtc, text));
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var objection = new SubjectRightRequested(
            Guid.NewGuid(), SubjectRights.ObjectionToDirectMarketing, RegistryFixture.Hashes(new SubjectKeys(Email: email)), [], DateTimeOffset.UtcNow);
        await fixture.Probe.Services.GetRequiredService<IBus>().Publish(objection);
        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RegisterRightCompleted>().Any(c => c.RequestId == objection.RequestId && c.Register == "marketing")));
        await fixture.Probe.Services.GetRequiredService<IBus>().Publish(
            new LegalHoldLifted(holdId, subjectId, "marketing", LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow));
        Assert.True(await EventuallyAsync(() => fixture.Seen.All<HeldDataErased>().Any(e => e.HoldId == holdId)));

        static bool LocksHolds(string sql) => sql.Contains("FROM legal_holds", StringComparison.Ordinal) && sql.Contains(" FOR ", StringComparison.Ordinal);
        static bool LocksSubjects(string sql) => sql.Contains("FROM subjects", StringComparison.Ordinal)
            && (sql.Contains(" FOR ", StringComparison.Ordinal) || sql.StartsWith("DELETE", StringComparison.Ordinal));
        var both = statements.GroupBy(s => s.Trace)
            .Select(trace => trace.OrderBy(s => s.Start).Select(s => s.Text).ToList())
            .Where(trace => trace.Any(LocksHolds) && trace.Any(LocksSubjects))
            .ToList();
        // The objection's transaction and the lifting's: both lock the hold and the subject.
        Assert.True(both.Count >= 2, $"Expected the objection's and the lifting's statements; traces that lock both: {both.Count}.");
        Assert.All(both, trace => Assert.True(trace.FindLastIndex(LocksHolds) < trace.FindIndex(LocksSubjects),
            "A subject was locked before a legal hold:\n" + string.Join('\n', trace.Where(s => LocksHolds(s) || LocksSubjects(s)))));
    }

    /// <summary>A legal hold placed on the subject's marketing records (delivered twice, as a redelivery would), once the Registry holds it in force.</summary>
    private async Task<Guid> MarketingHoldInForceAsync(Guid subjectId)
    {
        var holdId = Guid.CreateVersion7();
        await PublishTwiceAsync(new LegalHoldPlaced(holdId, subjectId, "marketing", LegalHoldBases.LegalClaims, DateTimeOffset.UtcNow), Guid.NewGuid());
        Assert.True(await Eventually.EventuallyAsync(
            async () => await fixture.CountAsync(db => db.Set<LegalHoldInForce>().Where(h => h.HoldId == holdId)) == 1, s_delivery));
        return holdId;
    }

    private Task<long> DeadlocksAsync() => fixture.InDatabaseAsync(async db =>
    {
        await db.Database.ExecuteSqlRawAsync("SELECT pg_stat_clear_snapshot()");
        return await db.Database.SqlQueryRaw<long>("SELECT deadlocks AS \"Value\" FROM pg_stat_database WHERE datname = current_database()").SingleAsync();
    });

    private async Task<(Guid SubjectId, string Email)> AddSubjectAsync(params (string Register, string Category)[] records)
    {
        var email = $"rights-{Guid.NewGuid():N}@example.fi";
        var subjectId = Guid.CreateVersion7();
        await fixture.InDatabaseAsync(async db =>
        {
            db.Subjects.Add(new Subject { Id = subjectId, Email = email, CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        foreach (var (register, category) in records)
        {
            await AddRecordAsync(subjectId, register, category);
        }

        return (subjectId, email);
    }

    private Task<Guid> AddRecordAsync(Guid subjectId, string register, string category, RecordState state = RecordState.Active, string? rule = null) =>
        fixture.InDatabaseAsync(async db =>
        {
            var record = new RegisterRecord
            {
                Id = Guid.CreateVersion7(),
                SubjectId = subjectId,
                Register = register,
                Category = category,
                Fields = new Dictionary<string, string> { ["note"] = "test" },
                RecordedOn = new DateOnly(2025, 3, 10),
                CreatedAt = DateTimeOffset.UtcNow,
                State = state,
                RetentionRule = rule,
                RetainUntil = rule is null ? null : new DateOnly(2031, 12, 31),
            };
            db.Records.Add(record);
            await db.SaveChangesAsync();
            return record.Id;
        });

    private async Task SendTwiceAsync(string register, ExerciseRightInRegister command)
    {
        var messageId = Guid.NewGuid();
        var send = await fixture.Probe.Services.GetRequiredService<ISendEndpointProvider>()
            .GetSendEndpoint(new Uri($"exchange:registry-rights-{register}"));
        await send.Send(command, c => c.MessageId = messageId);
        await send.Send(command, c => c.MessageId = messageId);
    }

    private async Task PublishTwiceAsync<T>(T message, Guid messageId) where T : class
    {
        var bus = fixture.Probe.Services.GetRequiredService<IBus>();
        await bus.Publish(message, c => c.MessageId = messageId);
        await bus.Publish(message, c => c.MessageId = messageId);
    }

    private static Task<bool> EventuallyAsync(Func<bool> condition) => Eventually.EventuallyAsync(condition, s_delivery);
}
