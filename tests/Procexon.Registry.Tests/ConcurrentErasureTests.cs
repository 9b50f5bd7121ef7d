using Microsoft.EntityFrameworkCore;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.IntegrationEvents;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests;

/// <summary>
/// The registers of one subject erase side by side and take the subject's row lock only for the last step; whichever
/// register finishes last must still see no records left and remove the subject's identifiers.
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
        var sends = fixture.Probe.Services.GetRequiredService<ISendEndpointProvider>();
        await Task.WhenAll(subjects.SelectMany(s => s_erasedRegisters.Select(async register =>
        {
            var endpoint = await sends.GetSendEndpoint(new Uri($"exchange:registry-erasure-{register}"));
            await endpoint.Send(new EraseSubjectInRegister(s.RequestId, [s.SubjectId], register));
        })));

        var requestIds = subjects.Select(s => s.RequestId).ToHashSet();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline
            && fixture.Seen.All<RegisterErasureCompleted>().Count(c => requestIds.Contains(c.RequestId)) < subjects.Count * s_erasedRegisters.Length)
        {
            await Task.Delay(100);
        }

        var answers = fixture.Seen.All<RegisterErasureCompleted>().Where(c => requestIds.Contains(c.RequestId)).ToList();
        Assert.Equal(subjects.Count * s_erasedRegisters.Length, answers.Count);
        Assert.All(answers, a => Assert.Equal(ErasureOutcomes.Erased, a.Outcome));
        var ids = subjects.Select(s => s.SubjectId).ToList();
        Assert.Equal(0, await fixture.CountAsync(db => db.Records.Where(r => ids.Contains(r.SubjectId))));
        Assert.Equal(0, await fixture.CountAsync(db => db.Subjects.Where(s => ids.Contains(s.Id))));
    }

    [Fact]
    public async Task The_register_that_finishes_second_waits_for_the_first_and_removes_the_subject()
    {
        var subjectId = await AddSubjectAsync();
        // Two contexts of our own, without the retrying strategy, so the test can hold both transactions open.
        var options = new DbContextOptionsBuilder<RegistryContext>()
            .UseNpgsql(fixture.Postgres.ConnectionString("registrydb"))
            .UseSnakeCaseNamingConvention()
            .UseIdentifierProtection(fixture.Registry.Services.GetRequiredService<IdentifierProtection>())
            .Options;
        await using var a = new RegistryContext(options);
        await using var b = new RegistryContext(options);

        // Register transaction A erases all but the contacts record; contacts (B) is still there, so A keeps the subject.
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
