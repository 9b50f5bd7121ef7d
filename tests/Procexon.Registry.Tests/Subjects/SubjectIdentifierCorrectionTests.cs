using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Procexon.Contracts;
using Procexon.Messaging.Outbox;
using Procexon.Registry.Apis;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Subjects;

/// <summary>
/// A register admin corrects a subject's identifiers (<c>POST /api/subjects/{id}/identifier-corrections</c>): the way past a merge
/// that two identity codes block, recorded by field name with who and why, refused when another subject holds the
/// identifier, and carried over to the survivor when the corrected subject is merged.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class SubjectIdentifierCorrectionTests(RegistryFixture fixture)
{
    private const string Why = "The identity code on the 2019 order form was mistyped; the customer confirmed by phone.";

    [Fact]
    public async Task A_mistyped_identity_code_removed_lets_the_two_subjects_merge_and_the_survivor_keeps_the_correction()
    {
        var person = TestPerson.Next();
        var into = await RawSubjects.AddAsync(fixture, person.ToSubject());
        var mistyped = TestPerson.Next();
        // An older customer number of the same person: a merge keeps it as an alias.
        var oldNumber = "C-old-" + Guid.NewGuid().ToString("N")[..8];
        var duplicate = await RawSubjects.AddAsync(fixture, new Subject
        {
            Id = Guid.CreateVersion7(),
            Hetu = mistyped.Hetu,
            CustomerNumber = oldNumber,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        var blocked = Assert.IsType<ProblemHttpResult>(await MergeAsync(into.Id, duplicate.Id));
        Assert.Equal("hetu", blocked.ProblemDetails.Extensions["field"]);

        // Given the survivor's own code instead, the duplicate would hold another subject's identifier: refused.
        var taken = Assert.IsType<ProblemHttpResult>(await CorrectAsync(duplicate.Id, new CorrectIdentifiersBody(new(Hetu: person.Hetu), null, Why)));
        Assert.Equal(StatusCodes.Status409Conflict, taken.StatusCode);
        Assert.Equal("hetu", taken.ProblemDetails.Extensions["field"]);
        Assert.DoesNotContain(person.Hetu, taken.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Equal([duplicate.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Hetu: mistyped.Hetu)));

        // The mistyped code removed, the customer number left as it is.
        var corrected = Assert.IsType<Created<SubjectIdentifierCorrectedDto>>(
            await CorrectAsync(duplicate.Id, new CorrectIdentifiersBody(null, ["hetu"], Why))).Value!;

        Assert.Null(corrected.Subject.Hetu);
        Assert.Equal(oldNumber, corrected.Subject.CustomerNumber);
        Assert.Equal(["hetu"], corrected.Correction!.Fields);
        Assert.Equal((TestUsers.RegisterAdminActor, Why), (corrected.Correction.CorrectedBy, corrected.Correction.Reason));
        Assert.Empty(await RawSubjects.FindAsync(fixture, new SubjectKeys(Hetu: mistyped.Hetu)));

        var merged = Assert.IsType<Created<SubjectMergeDto>>(await MergeAsync(into.Id, duplicate.Id)).Value!;
        Assert.Equal(duplicate.Id, merged.MergedFrom);
        Assert.Equal([into.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Hetu: person.Hetu)));
        var history = Assert.IsType<Ok<List<SubjectIdentifierCorrectionDto>>>(await fixture.InDatabaseAsync(async db =>
            (await SubjectIdentifiersApi.ListCorrections(into.Id, db, CancellationToken.None)).Result)).Value!;
        Assert.Equal(corrected.Correction.Id, Assert.Single(history).Id);
    }

    [Fact]
    public async Task A_corrected_email_finds_the_subject_and_the_old_one_no_longer_does()
    {
        var person = TestPerson.Next();
        var subject = await RawSubjects.AddAsync(fixture, person.ToSubject());
        var newEmail = $"new-{Guid.NewGuid():N}@example.fi";

        var corrected = Assert.IsType<Created<SubjectIdentifierCorrectedDto>>(await CorrectAsync(subject.Id,
            new CorrectIdentifiersBody(new(Email: newEmail), null, Why))).Value!;

        Assert.Equal(["email"], corrected.Correction!.Fields);
        Assert.Equal([subject.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Email: newEmail)));
        Assert.Empty(await RawSubjects.FindAsync(fixture, new SubjectKeys(Email: person.Email)));
    }

    [Fact]
    public async Task The_same_identifiers_again_change_nothing_and_record_nothing()
    {
        var person = TestPerson.Next();
        var subject = await RawSubjects.AddAsync(fixture, person.ToSubject());

        var same = Assert.IsType<Ok<SubjectIdentifierCorrectedDto>>(await CorrectAsync(subject.Id,
            new CorrectIdentifiersBody(new(Name: "Maija Meikäläinen", Email: person.Email, Hetu: person.Hetu), null, Why))).Value!;

        Assert.Null(same.Correction);
        Assert.Equal(0, await fixture.CountAsync(db => db.SubjectIdentifierCorrections.Where(c => c.SubjectId == subject.Id)));
    }

    [Fact]
    public async Task A_bad_correction_is_a_problem_naming_each_field_and_changes_nothing()
    {
        var person = TestPerson.Next();
        var subject = await RawSubjects.AddAsync(fixture, person.ToSubject());

        var malformed = Assert.IsType<ValidationProblem>(await CorrectAsync(subject.Id, new CorrectIdentifiersBody(new(Hetu: "131052-308X"), ["fax"], " ")));
        var nothing = Assert.IsType<ValidationProblem>(await CorrectAsync(subject.Id, new CorrectIdentifiersBody(null, null, Why)));
        var both = Assert.IsType<ValidationProblem>(await CorrectAsync(subject.Id, new CorrectIdentifiersBody(new(Email: person.Email), ["email"], Why)));
        var allGone = Assert.IsType<ValidationProblem>(await CorrectAsync(subject.Id,
            new CorrectIdentifiersBody(null, ["email", "phone", "hetu", "businessId", "customerNumber"], Why)));
        var unknown = Assert.IsType<ProblemHttpResult>(await CorrectAsync(Guid.NewGuid(), new CorrectIdentifiersBody(null, ["phone"], Why)));

        Assert.Equal(["reason", "remove", "set.hetu"], malformed.ProblemDetails.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("131052-308X", string.Join(" ", malformed.ProblemDetails.Errors.Values.SelectMany(m => m)), StringComparison.Ordinal);
        Assert.Equal(["set"], nothing.ProblemDetails.Errors.Keys);
        Assert.Equal(["remove"], both.ProblemDetails.Errors.Keys);
        Assert.Equal(["remove"], allGone.ProblemDetails.Errors.Keys);
        Assert.Equal(StatusCodes.Status404NotFound, unknown.StatusCode);
        Assert.Equal([subject.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Hetu: person.Hetu)));
        Assert.Equal(0, await fixture.CountAsync(db => db.SubjectIdentifierCorrections.Where(c => c.SubjectId == subject.Id)));
    }

    private Task<IResult> CorrectAsync(Guid id, CorrectIdentifiersBody body) =>
        fixture.InDatabaseAsync(async db => (await SubjectIdentifiersApi.CorrectIdentifiers(id, body, TestUsers.RegisterAdmin, db, TimeProvider.System, CancellationToken.None)).Result);

    private Task<IResult> MergeAsync(Guid into, Guid duplicate) =>
        fixture.InDatabaseAsync(async db => (await SubjectMergeApi.MergeSubject(
            into, new SubjectMergeBody(duplicate, "One person"), TestUsers.RegisterAdmin, db, new EventOutbox<RegistryContext>(db, TimeProvider.System),
            TimeProvider.System, CancellationToken.None)).Result);
}
