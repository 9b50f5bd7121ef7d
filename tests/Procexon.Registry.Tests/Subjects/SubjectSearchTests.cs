using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Procexon.Registry.Apis;
using Procexon.Registry.Model;
using Procexon.ServiceDefaults.Security;

namespace Procexon.Registry.Tests.Subjects;

[Collection(RegistryCollection.Name)]
public sealed class SubjectSearchTests(RegistryFixture fixture)
{
    private static readonly ClaimsPrincipal CustomerService =
        TestUsers.Staff("asta", "Asiakaspalvelu Asta Testaaja", PlatformRoles.CustomerService);

    [Fact]
    public async Task A_search_answers_where_each_subject_is_held_and_is_recorded_in_the_same_two_round_trips()
    {
        var person = TestPerson.Next();
        var subject = await RawSubjects.AddAsync(fixture, person.ToSubject(), ("marketing", "direct-marketing"), ("customers", "basic-data"), ("customers", "customer-contract"));
        var startedAt = DateTimeOffset.UtcNow;

        var (result, roundTrips) = await SearchAsync(new SubjectSearchBody(person.Email, null, null, null, person.CustomerNumber));

        var found = Assert.Single(Assert.IsType<Ok<List<SubjectDto>>>(result).Value!);
        Assert.Equal(subject.Id, found.Id);
        Assert.Equal(["customers", "marketing"], found.HeldIn);
        // One to find the subjects, one that records the search and reads where they are held: it commits as it answers.
        Assert.Equal(2, roundTrips);
        var recorded = await RecordedSinceAsync(startedAt);
        Assert.Equal(["email", "customerNumber"], recorded.IdentifierKinds);
        Assert.Equal(1, recorded.Found);
        Assert.Equal("Asiakaspalvelu Asta Testaaja (asta)", recorded.SearchedBy);
    }

    [Fact]
    public async Task A_search_that_finds_nobody_is_recorded_too()
    {
        var startedAt = DateTimeOffset.UtcNow;

        var (result, _) = await SearchAsync(new SubjectSearchBody(null, null, TestPerson.Next().Hetu, null, null));

        Assert.Empty(Assert.IsType<Ok<List<SubjectDto>>>(result).Value!);
        var recorded = await RecordedSinceAsync(startedAt);
        Assert.Equal(["hetu"], recorded.IdentifierKinds);
        Assert.Equal(0, recorded.Found);
    }

    /// <summary>The search as the API runs it, with the PostgreSQL commands it sent (Npgsql's spans under one of the test's own).</summary>
    private async Task<(object? Result, int RoundTrips)> SearchAsync(SubjectSearchBody body)
    {
        using var source = new ActivitySource("Procexon.Registry.Tests.SubjectSearch");
        var traceId = default(ActivityTraceId);
        var commands = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" || s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.Source.Name == "Npgsql" && a.TraceId == traceId && !a.OperationName.StartsWith("CONNECT", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref commands);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        return await fixture.InDatabaseAsync(async db =>
        {
            // A connection opened before the search: opening one is the pool's business, not the search's.
            await db.Database.OpenConnectionAsync();
            using var search = source.StartActivity("search")!;
            traceId = search.TraceId;
            var result = (await SubjectsApi.FindSubjects(body, CustomerService, db, TimeProvider.System, CancellationToken.None)).Result;
            return ((object?)result, Volatile.Read(ref commands));
        });
    }

    private async Task<SubjectSearch> RecordedSinceAsync(DateTimeOffset startedAt) => Assert.Single(
        await fixture.InDatabaseAsync(db => db.SubjectSearches.AsNoTracking().Where(s => s.SearchedAt >= startedAt && s.SearchedBy.StartsWith("Asiakaspalvelu Asta")).ToListAsync()));
}
