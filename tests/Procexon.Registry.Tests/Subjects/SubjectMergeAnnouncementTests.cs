using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Messaging.Outbox;
using Procexon.Registry.Apis;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.Model;
using Procexon.Testing;

namespace Procexon.Registry.Tests.Subjects;

/// <summary>The merge is announced to the other services through the outbox, once, and only when it commits.</summary>
[Collection(RegistryCollection.Name)]
public sealed class SubjectMergeAnnouncementTests(RegistryFixture fixture)
{
    private static readonly TimeSpan s_delivery = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Committed_merge_publishes_exactly_one_SubjectsMerged_with_its_ids()
    {
        var into = await RawSubjects.AddAsync(fixture, TestPerson.Next().ToSubject());
        var duplicate = await RawSubjects.AddAsync(fixture, new Subject { Id = Guid.CreateVersion7(), Name = "Toinen", CreatedAt = DateTimeOffset.UtcNow });

        var merged = Assert.IsType<Created<SubjectMergeDto>>(await MergeAsync(into.Id, duplicate.Id)).Value!;

        Assert.True(await EventuallyAsync(() => Announced(duplicate.Id).Count > 0));
        // Anything published twice would arrive close behind the first.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var announced = Assert.Single(Announced(duplicate.Id));
        Assert.Equal(new SubjectsMerged(merged.Id, duplicate.Id, into.Id, merged.MergedAt), announced);
    }

    [Fact]
    public async Task Refused_merge_publishes_nothing()
    {
        var into = await RawSubjects.AddAsync(fixture, TestPerson.Next().ToSubject());
        var refused = await RawSubjects.AddAsync(fixture, new Subject { Id = Guid.CreateVersion7(), Hetu = TestPerson.Next().Hetu, CreatedAt = DateTimeOffset.UtcNow });
        var later = await RawSubjects.AddAsync(fixture, new Subject { Id = Guid.CreateVersion7(), Name = "Kolmas", CreatedAt = DateTimeOffset.UtcNow });

        var problem = Assert.IsType<ProblemHttpResult>(await MergeAsync(into.Id, refused.Id));
        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        // A merge committed after the refused one: once its event is through, an event of the refused one would be too.
        Assert.IsType<Created<SubjectMergeDto>>(await MergeAsync(into.Id, later.Id));
        Assert.True(await EventuallyAsync(() => Announced(later.Id).Count == 1));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Empty(Announced(refused.Id));
        Assert.DoesNotContain(fixture.Seen.All<SubjectsMerged>(), m => m.MergedInto == into.Id && m.DuplicateId != later.Id);
    }

    private List<SubjectsMerged> Announced(Guid duplicateId) => [.. fixture.Seen.All<SubjectsMerged>().Where(m => m.DuplicateId == duplicateId)];

    /// <summary>Through the service's own registrations: the outbox the endpoint gets is the one the dispatcher reads.</summary>
    private async Task<IResult> MergeAsync(Guid id, Guid duplicateId)
    {
        await using var scope = fixture.Registry.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var result = await SubjectMergeApi.MergeSubject(
            id,
            new SubjectMergeBody(duplicateId, "Same person on two order forms."),
            TestUsers.RegisterAdmin,
            services.GetRequiredService<RegistryContext>(),
            services.GetRequiredService<IEventOutbox>(),
            services.GetRequiredService<TimeProvider>(),
            CancellationToken.None);
        return result.Result;
    }

    private static Task<bool> EventuallyAsync(Func<bool> condition) => Eventually.EventuallyAsync(condition, s_delivery);
}
