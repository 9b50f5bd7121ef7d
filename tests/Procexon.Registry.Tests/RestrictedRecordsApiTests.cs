using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Registry.Apis;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests;

/// <summary>Art 18: while a subject is restricted in a register, staff calls cannot change their records there.</summary>
[Collection(RegistryCollection.Name)]
public sealed class RestrictedRecordsApiTests(RegistryFixture fixture)
{
    [Fact]
    public async Task Restricted_subject_gets_409_with_the_reason_on_adding_or_changing_a_record_in_that_register_only()
    {
        var subjectId = Guid.CreateVersion7();
        var recordId = Guid.CreateVersion7();
        await fixture.InDatabaseAsync(async db =>
        {
            db.Subjects.Add(new Subject { Id = subjectId, Email = $"restricted-{Guid.NewGuid():N}@example.fi", CreatedAt = DateTimeOffset.UtcNow });
            db.Records.Add(new RegisterRecord
            {
                Id = recordId,
                SubjectId = subjectId,
                Register = "customers",
                Category = "basic-data",
                Fields = new() { ["title"] = "Ostaja" },
                RecordedOn = new DateOnly(2025, 1, 1),
                CreatedAt = DateTimeOffset.UtcNow,
                State = RecordState.Restricted,
            });
            db.Add(new SubjectRestriction
            {
                RequestId = Guid.NewGuid(),
                SubjectId = subjectId,
                Register = "customers",
                Right = SubjectRights.Restriction,
                RecordIds = [recordId],
                RestrictedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        var added = await AddAsync("customers", subjectId);
        var changed = await fixture.InDatabaseAsync(db => RecordsApi.UpdateRecord(
            "customers", recordId, new UpdateRecordBody(new() { ["title"] = "Johtaja" }), db, default));
        var elsewhere = await AddAsync("contacts", subjectId);

        foreach (var result in new[] { added.Result, changed.Result })
        {
            var problem = Assert.IsType<ProblemHttpResult>(result);
            Assert.Equal(409, problem.StatusCode);
            Assert.Contains("GDPR Art 18", problem.ProblemDetails.Detail, StringComparison.Ordinal);
            Assert.Equal("restricted", problem.ProblemDetails.Extensions["reason"]);
        }

        Assert.IsType<Created<RecordDto>>(elsewhere.Result);
        var kept = await fixture.InDatabaseAsync(db => db.Records.FindAsync(recordId).AsTask());
        Assert.Equal("Ostaja", kept!.Fields["title"]);
    }

    private Task<Results<Created<RecordDto>, ValidationProblem, ProblemHttpResult>> AddAsync(string register, Guid subjectId) =>
        fixture.InDatabaseAsync(db => RecordsApi.AddRecord(
            register, new AddRecordBody(subjectId, null, "basic-data", new() { ["title"] = "X" }, null), db,
            fixture.Registry.Services.GetRequiredService<SuppressionKeys>(), TimeProvider.System, default));
}
