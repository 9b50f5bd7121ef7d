using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Messaging.Inbox;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.IntegrationEvents;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests;

/// <summary>
/// The registers of one subject erase side by side, each in its own transaction, and lock the subject's row only in
/// the removal step after their commit; whichever register finishes last must still see no records left and remove the
/// subject's identifiers.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ConcurrentErasureTests(RegistryFixture fixture)
{
    private static readonly string[] s_erasedRegisters = ["customers", "suppliers", "marketing", "stakeholders", "web-users", "contacts"];

    private static readonly Dictionary<string, string> s_categories = new()
    {
        ["customers"] = "basic-data",
        ["suppliers"] = "basic-data",
        ["marketing"] = "direct-marketing",
        ["stakeholders"] = "event-registrations",
        ["web-users"] = "credentials",
        ["contacts"] = "basic-data",
    };

    [Fact]
    public async Task Subjects_erased_in_six_registers_at_once_lose_their_identifiers_whichever_register_finishes_last()
    {
        var subjects = new List<(Guid SubjectId, Guid RequestId)>();
        for (var i = 0; i < 20; i++)
        {
            subjects.Add((await AddSubjectAsync(), Guid.NewGuid()));
        }

        // Every register command of every subject at once, on the registers' own queues.
        await Task.WhenAll(subjects.SelectMany(s => s_erasedRegisters.Select(register =>
            SendAsync(new EraseSubjectInRegister(s.RequestId, [s.SubjectId], register)))));

        var answers = await AnswersAsync([.. subjects.Select(s => s.RequestId)], subjects.Count * s_erasedRegisters.Length, TimeSpan.FromSeconds(60));
        Assert.Equal(subjects.Count * s_erasedRegisters.Length, answers.Count);
        Assert.All(answers, a => Assert.Equal(ErasureOutcomes.Erased, a.Outcome));
        var ids = subjects.Select(s => s.SubjectId).ToList();
        Assert.Equal(0, await fixture.CountAsync(db => db.Records.Where(r => ids.Contains(r.SubjectId))));
        Assert.Equal(0, await fixture.SubjectsLeftAsync(ids));
    }

    [Fact]
    public async Task Registers_erase_and_answer_while_another_transaction_holds_the_subjects_row()
    {
        var subjectId = await AddSubjectAsync();
        var requestId = Guid.NewGuid();
        await using var holder = OwnContext();

        await using (var transaction = await holder.Database.BeginTransactionAsync())
        {
            // As a merge or a right being exercised on the subject would hold it.
            Assert.Single(await SubjectErasure.LockSubjectsAsync(holder, [subjectId], CancellationToken.None));
            foreach (var register in s_erasedRegisters)
            {
                await SendAsync(new EraseSubjectInRegister(requestId, [subjectId], register));
            }

            var answers = await AnswersAsync([requestId], s_erasedRegisters.Length, TimeSpan.FromSeconds(20));
            Assert.True(
                answers.Count == s_erasedRegisters.Length,
                "A register's erasure waited for the subject's row lock; only the removal after its commit may wait for it.");
            Assert.Equal(0, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId)));
            // The removal is what waits: the subject is still there while the row is held.
            Assert.Equal(1, await fixture.CountAsync(db => db.Subjects.Where(s => s.Id == subjectId)));
            await transaction.RollbackAsync();
        }

        Assert.Equal(0, await fixture.SubjectsLeftAsync([subjectId]));
    }

    [Fact]
    public async Task A_redelivered_erasure_removes_the_subject_a_crash_left_without_records()
    {
        // As if the register's batch committed (records erased, message in the inbox) and the process died before the
        // removal step after the commit.
        var subjectId = await AddSubjectAsync();
        var requestId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        await fixture.InDatabaseAsync(async db =>
        {
            db.Records.RemoveRange(await db.Records.Where(r => r.SubjectId == subjectId).ToListAsync());
            db.Set<InboxMessage>().Add(new InboxMessage { MessageId = messageId, Consumer = nameof(ApplyErasureInRegister), ProcessedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        Assert.Equal(1, await fixture.CountAsync(db => db.Subjects.Where(s => s.Id == subjectId)));

        await SendAsync(new EraseSubjectInRegister(requestId, [subjectId], "customers"), messageId);

        Assert.Equal(0, await fixture.SubjectsLeftAsync([subjectId]));
        // The redelivery is a duplicate: the register does not answer a second time.
        Assert.DoesNotContain(fixture.RegisterOutcomes(), c => c.RequestId == requestId);
    }

    [Fact]
    public async Task Removing_inside_a_transaction_waits_for_the_transaction_that_erased_first_and_removes_the_subject()
    {
        // The removal used as the last step inside a transaction (a retention period's end, an objection to direct
        // marketing): it must not decide on rows another transaction is about to delete.
        var subjectId = await AddSubjectAsync();
        await using var a = OwnContext();
        await using var b = OwnContext();

        // Transaction A erases all but the contacts record; contacts (B) is still there, so A keeps the subject.
        await using var transactionA = await a.Database.BeginTransactionAsync();
        a.Records.RemoveRange(await a.Records.Where(r => r.SubjectId == subjectId && r.Register != "contacts").ToListAsync());
        Assert.Equal(0, await SubjectErasure.RemoveSubjectsLeftWithoutRecordsAsync(a, [subjectId], CancellationToken.None));

        // B erases the contacts record while A has not committed: B must wait for A rather than decide on A's old rows.
        await using var transactionB = await b.Database.BeginTransactionAsync();
        b.Records.RemoveRange(await b.Records.Where(r => r.SubjectId == subjectId && r.Register == "contacts").ToListAsync());
        var removing = SubjectErasure.RemoveSubjectsLeftWithoutRecordsAsync(b, [subjectId], CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(removing.IsCompleted, "B decided before A committed: it would keep a subject with no records.");

        await transactionA.CommitAsync();
        Assert.Equal(1, await removing);
        await transactionB.CommitAsync();
        Assert.Equal(0, await fixture.CountAsync(db => db.Subjects.Where(s => s.Id == subjectId)));
    }

    [Fact]
    public async Task Rights_in_every_register_answer_while_one_register_exercises_a_right_and_a_merge_waits_for_them()
    {
        var subjectId = await AddSubjectAsync();
        var requestId = Guid.NewGuid();
        await using var holder = OwnContext();
        await using var merger = OwnContext();

        await using (var transaction = await holder.Database.BeginTransactionAsync())
        {
            // As a right being exercised in one register holds the subject.
            Assert.Single(await SubjectErasure.ShareLockSubjectsAsync(holder, [subjectId], CancellationToken.None));
            var endpoints = fixture.Probe.Services.GetRequiredService<ISendEndpointProvider>();
            foreach (var register in s_erasedRegisters)
            {
                var endpoint = await endpoints.GetSendEndpoint(new Uri($"exchange:registry-rights-{register}"));
                await endpoint.Send(new ExerciseRightInRegister(requestId, SubjectRights.Restriction, [subjectId], RegistryFixture.Hashes(new SubjectKeys()), register, []));
            }

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (fixture.Seen.All<RegisterRightCompleted>().Count(c => c.RequestId == requestId) < s_erasedRegisters.Length && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.True(
                fixture.Seen.All<RegisterRightCompleted>().Count(c => c.RequestId == requestId) == s_erasedRegisters.Length,
                "A register's right waited for another's hold on the subject's row.");

            // A merge takes the row for itself: it waits until the rights have committed.
            await using var mergeTransaction = await merger.Database.BeginTransactionAsync();
            var merging = SubjectErasure.LockSubjectsAsync(merger, [subjectId], CancellationToken.None);
            await Task.Delay(500);
            Assert.False(merging.IsCompleted, "A merge took the subject while a right was being exercised on it.");
            await transaction.RollbackAsync();
            Assert.Single(await merging);
            await mergeTransaction.RollbackAsync();
        }

        Assert.Equal(s_erasedRegisters.Length, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == subjectId && r.State == RecordState.Restricted)));
    }

    /// <summary>Sends the command to its register's own queue, as the scope resolver does.</summary>
    private async Task SendAsync(EraseSubjectInRegister command, Guid? messageId = null)
    {
        var endpoint = await fixture.Probe.Services.GetRequiredService<ISendEndpointProvider>()
            .GetSendEndpoint(new Uri($"exchange:registry-erasure-{command.Register}"));
        await endpoint.Send(command, context => context.MessageId = messageId ?? context.MessageId);
    }

    /// <summary>The registers' answers to the requests, once <paramref name="expected"/> arrived or the time is up.</summary>
    private async Task<List<RegisterErasureOutcome>> AnswersAsync(HashSet<Guid> requestIds, int expected, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        List<RegisterErasureOutcome> answers;
        while ((answers = [.. fixture.RegisterOutcomes().Where(c => requestIds.Contains(c.RequestId))]).Count < expected
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return answers;
    }

    /// <summary>A context of the test's own, without the retrying strategy, so the test can hold a transaction open.</summary>
    private RegistryContext OwnContext() => new(new DbContextOptionsBuilder<RegistryContext>()
        .UseNpgsql(fixture.Postgres.ConnectionString("registrydb"))
        .UseSnakeCaseNamingConvention()
        .UseIdentifierProtection(fixture.Registry.Services.GetRequiredService<IdentifierProtection>())
        .Options);

    private async Task<Guid> AddSubjectAsync()
    {
        var subjectId = Guid.CreateVersion7();
        await fixture.InDatabaseAsync(async db =>
        {
            db.Subjects.Add(new Subject { Id = subjectId, Email = $"subject-{Guid.NewGuid():N}@example.fi", CreatedAt = DateTimeOffset.UtcNow });
            foreach (var register in s_erasedRegisters)
            {
                db.Records.Add(new RegisterRecord
                {
                    Id = Guid.CreateVersion7(),
                    SubjectId = subjectId,
                    Register = register,
                    Category = s_categories[register],
                    Fields = new Dictionary<string, string> { ["note"] = "test" },
                    RecordedOn = new DateOnly(2025, 3, 10),
                    CreatedAt = DateTimeOffset.UtcNow,
                });
            }

            return await db.SaveChangesAsync();
        });
        return subjectId;
    }
}
