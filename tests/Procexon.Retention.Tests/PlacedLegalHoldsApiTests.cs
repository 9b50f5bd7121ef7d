using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Procexon.Contracts;
using Procexon.ServiceDefaults.Security;

namespace Procexon.Retention.Tests;

[Collection(RetentionCollection.Name)]
public sealed class PlacedLegalHoldsApiTests(RetentionFixture fixture)
{
    private const string Path = "/api/retention/legal-holds";

    [Fact]
    public async Task A_privacy_officer_places_a_hold_recorded_as_the_token_user_and_the_registry_hears_of_it_once()
    {
        var subjectId = Guid.NewGuid();

        // Who placed it is the token's user; a name in the body is not a field of the hold and changes nothing.
        using var response = await fixture.Http.PostAsJsonAsync(new Uri(Path, UriKind.Relative), new
        {
            subjectId,
            register = "email-archive",
            basis = "legal-claims",
            reason = "Claim 2026/17 against the former customer",
            placedBy = "someone else",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var hold = await response.Content.ReadFromJsonAsync<JsonElement>();
        var holdId = hold.GetProperty("id").GetGuid();
        Assert.Equal($"/api/retention/legal-holds/{holdId}", response.Headers.Location?.OriginalString);
        Assert.Equal(subjectId, hold.GetProperty("subjectId").GetGuid());
        Assert.Equal("email-archive", hold.GetProperty("register").GetString());
        Assert.Equal("legal-claims", hold.GetProperty("basis").GetString());
        Assert.Contains("17(3)(e)", hold.GetProperty("basisText").GetProperty("en").GetString(), StringComparison.Ordinal);
        Assert.Equal("in-force", hold.GetProperty("status").GetString());
        Assert.Contains("test-privacy-officer", hold.GetProperty("placedBy").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("someone else", hold.ToString(), StringComparison.Ordinal);

        Assert.True(await RetentionFixture.EventuallyAsync(() => Task.FromResult(fixture.LegalHoldNotices.PlacedOf(holdId).Count > 0), RetentionFixture.Delivery));
        await Task.Delay(500);
        var placed = Assert.Single(fixture.LegalHoldNotices.PlacedOf(holdId));
        Assert.Equal((subjectId, "email-archive", "legal-claims"), (placed.SubjectId, placed.Register, placed.Basis));

        var listed = await fixture.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"{Path}?subject={subjectId}", UriKind.Relative));
        Assert.Equal(holdId, Assert.Single(listed!).GetProperty("id").GetGuid());
        var one = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"{Path}/{holdId}", UriKind.Relative));
        Assert.Equal(hold.ToString(), one.ToString());
    }

    [Fact]
    public async Task A_hold_without_a_register_covers_every_register_and_its_basis_defaults_to_legal_claims()
    {
        var hold = await PlaceAsync(Guid.NewGuid(), register: null);

        Assert.Equal(JsonValueKind.Null, hold.GetProperty("register").ValueKind);
        Assert.Equal("legal-claims", hold.GetProperty("basis").GetString());
        var holdId = hold.GetProperty("id").GetGuid();
        Assert.True(await RetentionFixture.EventuallyAsync(() => Task.FromResult(fixture.LegalHoldNotices.PlacedOf(holdId).Count > 0), RetentionFixture.Delivery));
        Assert.Null(Assert.Single(fixture.LegalHoldNotices.PlacedOf(holdId)).Register);
    }

    [Fact]
    public async Task Lifting_records_who_and_why_tells_the_registry_once_and_a_second_lifting_is_a_conflict()
    {
        var hold = await PlaceAsync(Guid.NewGuid(), "customers");
        var holdId = hold.GetProperty("id").GetGuid();

        using var lifted = await fixture.Http.PostAsJsonAsync(new Uri($"{Path}/{holdId}/lifting", UriKind.Relative), new { reason = "The claim was settled" });
        using var again = await fixture.Http.PostAsJsonAsync(new Uri($"{Path}/{holdId}/lifting", UriKind.Relative), new { reason = "Once more" });

        Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        var body = await lifted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("lifted", body.GetProperty("status").GetString());
        Assert.Equal("The claim was settled", body.GetProperty("liftReason").GetString());
        Assert.Contains("test-privacy-officer", body.GetProperty("liftedBy").GetString(), StringComparison.Ordinal);
        await AssertProblemAsync(again, HttpStatusCode.Conflict);
        Assert.True(await RetentionFixture.EventuallyAsync(() => Task.FromResult(fixture.LegalHoldNotices.LiftedOf(holdId).Count > 0), RetentionFixture.Delivery));
        await Task.Delay(500);
        var notice = Assert.Single(fixture.LegalHoldNotices.LiftedOf(holdId));
        Assert.Equal("customers", notice.Register);
    }

    [Fact]
    public async Task The_registry_report_of_what_a_lifted_hold_kept_is_recorded_once_under_redelivery()
    {
        var subjectId = Guid.NewGuid();
        var holdId = (await PlaceAsync(subjectId, "email-archive")).GetProperty("id").GetGuid();
        using var lifted = await fixture.Http.PostAsJsonAsync(new Uri($"{Path}/{holdId}/lifting", UriKind.Relative), new { reason = "Settled" });
        var messageId = Guid.NewGuid();
        var erasedAt = fixture.Clock.GetUtcNow();

        await fixture.ReportHeldDataErasedAsync(new HeldDataErased(holdId, subjectId, 3, 0, erasedAt), messageId);
        await fixture.ReportHeldDataErasedAsync(new HeldDataErased(holdId, subjectId, 3, 0, erasedAt), messageId);
        // The same report published again under a new id does not overwrite the first.
        await fixture.ReportHeldDataErasedAsync(new HeldDataErased(holdId, subjectId, 0, 0, erasedAt.AddHours(1)), Guid.NewGuid());

        var hold = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"{Path}/{holdId}", UriKind.Relative));
        Assert.Equal(3, hold.GetProperty("recordsErased").GetInt32());
        Assert.Equal(erasedAt, hold.GetProperty("erasedAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData(PlatformRoles.Auditor)]
    [InlineData(PlatformRoles.RegisterAdmin)]
    [InlineData(PlatformRoles.CustomerService)]
    public async Task Placing_and_lifting_are_forbidden_to_anyone_but_a_privacy_officer(string role)
    {
        var subjectId = Guid.NewGuid();
        var holdId = (await PlaceAsync(subjectId, "customers")).GetProperty("id").GetGuid();
        using var client = fixture.ClientOf(role);

        using var place = await client.PostAsJsonAsync(new Uri(Path, UriKind.Relative), new { subjectId, reason = "Mine" });
        using var lift = await client.PostAsJsonAsync(new Uri($"{Path}/{holdId}/lifting", UriKind.Relative), new { reason = "Mine" });

        await AssertProblemAsync(place, HttpStatusCode.Forbidden);
        await AssertProblemAsync(lift, HttpStatusCode.Forbidden);
        var listed = await fixture.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"{Path}?subject={subjectId}", UriKind.Relative));
        Assert.Equal("in-force", Assert.Single(listed!).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Placing_without_a_token_is_an_unauthorized_problem()
    {
        using var response = await fixture.Anonymous.PostAsJsonAsync(new Uri(Path, UriKind.Relative), new { subjectId = Guid.NewGuid(), reason = "x" });

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(PlatformRoles.Auditor)]
    [InlineData(PlatformRoles.RegisterAdmin)]
    public async Task Auditors_and_register_admins_read_the_holds(string role)
    {
        using var client = fixture.ClientOf(role);

        using var response = await client.GetAsync(new Uri($"{Path}?subject={Guid.NewGuid()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"reason": "Claim"}""", "subjectId")]
    [InlineData("""{"subjectId": "00000000-0000-0000-0000-000000000000", "reason": "Claim"}""", "subjectId")]
    [InlineData("""{"subjectId": "0199b5e0-0000-7000-8000-000000000001"}""", "reason")]
    [InlineData("""{"subjectId": "0199b5e0-0000-7000-8000-000000000001", "reason": "   "}""", "reason")]
    [InlineData("""{"subjectId": "0199b5e0-0000-7000-8000-000000000001", "reason": "Claim\u0000\u0007"}""", "reason")]
    [InlineData("""{"subjectId": "0199b5e0-0000-7000-8000-000000000001", "reason": "Claim", "basis": "curiosity"}""", "basis")]
    [InlineData("""{"subjectId": "0199b5e0-0000-7000-8000-000000000001", "reason": "Claim", "register": "Email Archive!"}""", "register")]
    public async Task A_bad_hold_is_a_validation_problem_naming_the_field(string json, string field)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await fixture.Http.PostAsync(new Uri(Path, UriKind.Relative), content);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task An_overlong_reason_is_a_validation_problem_naming_reason()
    {
        using var response = await fixture.Http.PostAsJsonAsync(new Uri(Path, UriKind.Relative),
            new { subjectId = Guid.NewGuid(), reason = new string('x', 2001) });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["reason"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task Lifting_without_a_reason_is_a_validation_problem_and_an_unknown_hold_is_not_found()
    {
        var holdId = (await PlaceAsync(Guid.NewGuid(), "customers")).GetProperty("id").GetGuid();

        using var noReason = await fixture.Http.PostAsJsonAsync(new Uri($"{Path}/{holdId}/lifting", UriKind.Relative), new { reason = "" });
        using var unknown = await fixture.Http.PostAsJsonAsync(new Uri($"{Path}/{Guid.NewGuid()}/lifting", UriKind.Relative), new { reason = "Settled" });

        var problem = await AssertProblemAsync(noReason, HttpStatusCode.BadRequest);
        Assert.Equal(["reason"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        var hold = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"{Path}/{holdId}", UriKind.Relative));
        Assert.Equal("in-force", hold.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Listing_without_a_subject_id_is_a_validation_problem_naming_subject()
    {
        using var response = await fixture.Http.GetAsync(new Uri($"{Path}?subject=131052-308T", UriKind.Relative));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["subject"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.DoesNotContain("131052-308T", problem.ToString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> PlaceAsync(Guid subjectId, string? register)
    {
        using var response = await fixture.Http.PostAsJsonAsync(new Uri(Path, UriKind.Relative), new { subjectId, register, reason = "Claim 2026/17" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
