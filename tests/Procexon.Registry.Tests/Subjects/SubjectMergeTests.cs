using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Procexon.Contracts;
using Procexon.Messaging.Outbox;
using Procexon.Registry.Apis;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Subjects;

[Collection(RegistryCollection.Name)]
public sealed class SubjectMergeTests(RegistryFixture fixture)
{
    private const string Reason = "Same e-mail on the order forms of both customer numbers; confirmed by phone.";

    [Fact]
    public async Task Duplicate_customer_merges_into_the_subject_with_its_records_identifiers_and_history()
    {
        var person = TestPerson.Next();
        var into = await RawSubjects.AddAsync(fixture, person.ToSubject());
        await ClearAsync(into.Id, phone: true);
        var duplicate = await RawSubjects.AddAsync(fixture,
            new Subject { Id = Guid.CreateVersion7(), Phone = person.Phone, CustomerNumber = "C-dup-" + Guid.NewGuid().ToString("N")[..8], CreatedAt = DateTimeOffset.UtcNow },
            ("customers", "customer-contract"), ("customers", "basic-data"), ("marketing", "direct-marketing"));

        var merged = Assert.IsType<Created<SubjectMergeDto>>(await MergeAsync(into.Id, new SubjectMergeBody(duplicate.Id, Reason))).Value!;

        Assert.Equal((duplicate.Id, into.Id, 3), (merged.MergedFrom, merged.MergedInto, merged.RecordsMoved));
        Assert.Equal(new Dictionary<string, int> { ["customers"] = 2, ["marketing"] = 1 }, merged.MovedPerRegister);
        Assert.Equal(["phone", "customerNumber (alias)"], merged.IdentifiersTaken);
        Assert.Equal(["customers", "marketing"], merged.Subject!.HeldIn);
        Assert.Equal(3, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == into.Id)));
        Assert.Equal(0, await fixture.CountAsync(db => db.Subjects.Where(s => s.Id == duplicate.Id)));
        // Both customer numbers, and the phone the duplicate brought, now find the one person.
        Assert.Equal([into.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(CustomerNumber: duplicate.CustomerNumber)));
        Assert.Equal([into.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(CustomerNumber: person.CustomerNumber)));
        Assert.Equal([into.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Phone: person.Phone)));

        var moved = Assert.IsType<SubjectMoved>(await fixture.InDatabaseAsync(async db => (await SubjectsApi.GetSubject(duplicate.Id, db, CancellationToken.None)).Result));
        Assert.Equal(StatusCodes.Status301MovedPermanently, moved.StatusCode);
        Assert.Equal(into.Id, moved.Value.MergedInto);
        Assert.Equal($"/api/subjects/{into.Id}", moved.Value.Location);

        var history = Assert.IsType<Ok<List<SubjectMergeDto>>>(await fixture.InDatabaseAsync(async db =>
            (await SubjectMergeApi.ListMerges(into.Id, db, CancellationToken.None)).Result)).Value!;
        var recorded = Assert.Single(history);
        // Who merged is the caller the token names.
        Assert.Equal((TestUsers.RegisterAdminActor, Reason, 3), (recorded.MergedBy, recorded.Reason, recorded.RecordsMoved));
    }

    [Fact]
    public async Task A_legal_hold_on_the_duplicate_covers_the_survivor_after_the_merge()
    {
        var into = await RawSubjects.AddAsync(fixture, new Subject { Id = Guid.CreateVersion7(), CustomerNumber = "C-into-" + Guid.NewGuid().ToString("N")[..8], CreatedAt = DateTimeOffset.UtcNow });
        var duplicate = await RawSubjects.AddAsync(fixture,
            new Subject { Id = Guid.CreateVersion7(), CustomerNumber = "C-dup-" + Guid.NewGuid().ToString("N")[..8], CreatedAt = DateTimeOffset.UtcNow }, ("customers", "basic-data"));
        var holdId = Guid.CreateVersion7();
        await fixture.InDatabaseAsync(db =>
        {
            db.Add(new LegalHoldInForce { HoldId = holdId, SubjectId = duplicate.Id, Register = "customers", Basis = LegalHoldBases.LegalClaims, PlacedAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });

        Assert.IsType<Created<SubjectMergeDto>>(await MergeAsync(into.Id, new SubjectMergeBody(duplicate.Id, Reason)));

        var hold = await fixture.InDatabaseAsync(db => db.Set<LegalHoldInForce>().AsNoTracking().SingleAsync(h => h.HoldId == holdId));
        Assert.Equal(into.Id, hold.SubjectId);
    }

    [Fact]
    public async Task Subject_takes_the_unique_email_of_the_duplicate_it_absorbs()
    {
        var person = TestPerson.Next();
        var into = await RawSubjects.AddAsync(fixture, new Subject { Id = Guid.CreateVersion7(), CustomerNumber = person.CustomerNumber, CreatedAt = DateTimeOffset.UtcNow });
        var duplicate = await RawSubjects.AddAsync(fixture,
            new Subject { Id = Guid.CreateVersion7(), Email = person.Email, Hetu = person.Hetu, CreatedAt = DateTimeOffset.UtcNow }, ("web-users", "credentials"));

        var merged = Assert.IsType<Created<SubjectMergeDto>>(await MergeAsync(into.Id, new SubjectMergeBody(duplicate.Id, Reason))).Value!;

        Assert.Equal(["hetu", "email"], merged.IdentifiersTaken);
        Assert.Equal([into.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Email: person.Email)));
        Assert.Equal([into.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Hetu: person.Hetu)));
        Assert.Equal(person.Hetu, (await fixture.InDatabaseAsync(db => db.Subjects.SingleAsync(s => s.Id == into.Id))).Hetu);
    }

    [Fact]
    public async Task Subjects_with_different_identity_codes_do_not_merge_and_nothing_moves()
    {
        var into = await RawSubjects.AddAsync(fixture, TestPerson.Next().ToSubject());
        var other = TestPerson.Next();
        var duplicate = await RawSubjects.AddAsync(fixture,
            new Subject { Id = Guid.CreateVersion7(), Hetu = other.Hetu, CreatedAt = DateTimeOffset.UtcNow }, ("customers", "basic-data"));

        var problem = Assert.IsType<ProblemHttpResult>(await MergeAsync(into.Id, new SubjectMergeBody(duplicate.Id, Reason)));

        Assert.Equal(StatusCodes.Status409Conflict, problem.StatusCode);
        Assert.Equal("hetu", problem.ProblemDetails.Extensions["field"]);
        Assert.DoesNotContain(other.Hetu, problem.ProblemDetails.Detail, StringComparison.Ordinal);
        Assert.Equal(1, await fixture.CountAsync(db => db.Records.Where(r => r.SubjectId == duplicate.Id)));
        Assert.Equal(0, await fixture.CountAsync(db => db.SubjectMerges.Where(m => m.FromSubjectId == duplicate.Id)));
    }

    [Fact]
    public async Task Merge_names_the_field_it_cannot_accept()
    {
        var into = await RawSubjects.AddAsync(fixture, TestPerson.Next().ToSubject());

        var itself = Assert.IsType<ValidationProblem>(await MergeAsync(into.Id, new SubjectMergeBody(into.Id, Reason)));
        var unexplained = Assert.IsType<ValidationProblem>(await MergeAsync(into.Id, new SubjectMergeBody(Guid.NewGuid(), " ")));
        var unknown = Assert.IsType<ProblemHttpResult>(await MergeAsync(into.Id, new SubjectMergeBody(Guid.NewGuid(), Reason)));

        Assert.Equal(["duplicateId"], itself.ProblemDetails.Errors.Keys);
        Assert.Equal(["reason"], unexplained.ProblemDetails.Errors.Keys);
        Assert.Equal(StatusCodes.Status404NotFound, unknown.StatusCode);
        Assert.Equal("duplicateId", unknown.ProblemDetails.Extensions["field"]);
    }

    [Fact]
    public async Task Duplicate_merged_once_cannot_be_merged_again_and_says_where_it_went()
    {
        var into = await RawSubjects.AddAsync(fixture, TestPerson.Next().ToSubject());
        var third = await RawSubjects.AddAsync(fixture, new Subject { Id = Guid.CreateVersion7(), Name = "Kolmas", CreatedAt = DateTimeOffset.UtcNow });
        var duplicate = await RawSubjects.AddAsync(fixture, new Subject { Id = Guid.CreateVersion7(), Name = "Toinen", CreatedAt = DateTimeOffset.UtcNow }, ("contacts", "basic-data"));
        Assert.IsType<Created<SubjectMergeDto>>(await MergeAsync(into.Id, new SubjectMergeBody(duplicate.Id, Reason)));

        var again = Assert.IsType<ProblemHttpResult>(await MergeAsync(third.Id, new SubjectMergeBody(duplicate.Id, Reason)));

        Assert.Equal(StatusCodes.Status409Conflict, again.StatusCode);
        Assert.Equal($"/api/subjects/{into.Id}", again.ProblemDetails.Extensions["mergedInto"]);
    }

    [Theory]
    [InlineData("email")]
    [InlineData("phone")]
    [InlineData("businessId")]
    [InlineData("hetu")]
    public void Two_different_values_of_one_identifier_are_a_conflict_named_by_field(string field)
    {
        var a = TestPerson.Next().ToSubject();
        var b = TestPerson.Next().ToSubject();

        // Only `field` differs; everything else is absent on one side or the other.
        var into = new Subject { Id = Guid.NewGuid(), CreatedAt = DateTimeOffset.UtcNow };
        var duplicate = new Subject { Id = Guid.NewGuid(), CreatedAt = DateTimeOffset.UtcNow };
        switch (field)
        {
            case "email": (into.Email, duplicate.Email) = (a.Email, b.Email); break;
            case "phone": (into.Phone, duplicate.Phone) = (a.Phone, b.Phone); break;
            case "businessId": (into.BusinessId, duplicate.BusinessId) = (a.BusinessId, b.BusinessId); break;
            default: (into.Hetu, duplicate.Hetu) = (a.Hetu, b.Hetu); break;
        }

        var union = SubjectMerging.Unite(into, duplicate);

        Assert.Equal(field, union.ConflictField);
        Assert.Empty(union.Taken);
    }

    [Fact]
    public void Survivor_keeps_its_own_values_and_takes_only_what_it_lacks()
    {
        var into = new Subject { Id = Guid.NewGuid(), Name = "Maija M.", Email = "maija@example.fi", CustomerNumber = "C-1", CreatedAt = DateTimeOffset.UtcNow };
        var duplicate = new Subject { Id = Guid.NewGuid(), Name = "Maija Meikäläinen", Email = "maija@example.fi", Phone = "+358401234567", CustomerNumber = "C-2", CreatedAt = DateTimeOffset.UtcNow };

        var union = SubjectMerging.Unite(into, duplicate);

        Assert.Null(union.ConflictField);
        Assert.Equal(("Maija M.", "+358401234567", "C-1", "C-2"), (into.Name, into.Phone, into.CustomerNumber, union.CustomerNumberAlias));
        Assert.Equal(["phone", "customerNumber (alias)"], union.Taken);
    }

    private Task<IResult> MergeAsync(Guid id, SubjectMergeBody body) =>
        fixture.InDatabaseAsync(async db => (await SubjectMergeApi.MergeSubject(id, body, TestUsers.RegisterAdmin, db, new EventOutbox<RegistryContext>(db, TimeProvider.System), TimeProvider.System, CancellationToken.None)).Result);

    private Task<int> ClearAsync(Guid id, bool phone) =>
        fixture.InDatabaseAsync(async db =>
        {
            var subject = await db.Subjects.SingleAsync(s => s.Id == id);
            subject.Phone = phone ? null : subject.Phone;
            return await db.SaveChangesAsync();
        });
}
