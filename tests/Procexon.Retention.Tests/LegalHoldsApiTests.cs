using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Procexon.Retention.Tests;

[Collection(RetentionCollection.Name)]
public sealed class LegalHoldsApiTests(RetentionFixture fixture)
{
    [Fact]
    public async Task Holds_of_a_subject_are_listed_soonest_to_go_first_with_their_statute()
    {
        var subjectId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId,
            TestData.Invoices(subjectId, new DateOnly(2032, 12, 31), records: 4),
            TestData.Payslips(subjectId, new DateOnly(2031, 12, 31), records: 12)));
        // Another subject's hold is not listed.
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(Guid.NewGuid(), TestData.Invoices(Guid.NewGuid(), new DateOnly(2030, 12, 31))));

        var holds = await fixture.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"/api/retention/holds?subject={subjectId}", UriKind.Relative));

        Assert.NotNull(holds);
        Assert.Equal(["2031-12-31", "2032-12-31"], holds.Select(h => h.GetProperty("retainUntil").GetString()));
        var payslips = holds[0];
        Assert.Equal(
            ["id", "subjectId", "register", "retentionRule", "category", "statute", "retainUntil", "status", "requestId", "records", "createdAt", "releasedAt", "erasedAt"],
            payslips.EnumerateObject().Select(p => p.Name));
        Assert.Equal(subjectId, payslips.GetProperty("subjectId").GetGuid());
        Assert.Equal(requestId, payslips.GetProperty("requestId").GetGuid());
        Assert.Equal(TestData.Register, payslips.GetProperty("register").GetString());
        Assert.Equal("payroll-vouchers", payslips.GetProperty("retentionRule").GetString());
        Assert.Equal("payslips", payslips.GetProperty("category").GetString());
        Assert.Equal(TestData.AccountingAct.Fi, payslips.GetProperty("statute").GetProperty("fi").GetString());
        Assert.Equal(TestData.AccountingAct.En, payslips.GetProperty("statute").GetProperty("en").GetString());
        Assert.Equal("scheduled", payslips.GetProperty("status").GetString());
        Assert.Equal(12, payslips.GetProperty("records").GetInt32());
        Assert.Equal(JsonValueKind.Null, payslips.GetProperty("releasedAt").ValueKind);

        var one = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/retention/holds/{payslips.GetProperty("id").GetGuid()}", UriKind.Relative));
        Assert.Equal(payslips.ToString(), one.ToString());
    }

    [Fact]
    public async Task Holds_can_be_filtered_by_status()
    {
        var subjectId = Guid.NewGuid();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(Guid.NewGuid(),
            TestData.Invoices(subjectId, fixture.Today.AddDays(-1)),
            TestData.Payslips(subjectId, new DateOnly(2032, 12, 31))));
        await fixture.SweepNowAsync();

        var released = await fixture.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"/api/retention/holds?subject={subjectId}&status=released", UriKind.Relative));
        var scheduled = await fixture.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"/api/retention/holds?subject={subjectId}&status=scheduled", UriKind.Relative));
        var erased = await fixture.Http.GetFromJsonAsync<JsonElement[]>(new Uri($"/api/retention/holds?subject={subjectId}&status=erased", UriKind.Relative));

        Assert.Equal("invoices", Assert.Single(released!).GetProperty("category").GetString());
        Assert.Equal("payslips", Assert.Single(scheduled!).GetProperty("category").GetString());
        Assert.Empty(erased!);
    }

    [Theory]
    [InlineData("/api/retention/holds")]
    [InlineData("/api/retention/holds?subject=")]
    [InlineData("/api/retention/holds?subject=131052-308T")]
    [InlineData("/api/retention/holds?subject=not-a-guid&status=scheduled")]
    public async Task Listing_holds_without_a_subject_id_is_a_validation_problem_naming_subject(string path)
    {
        var errors = await ValidationErrorsAsync(path);

        Assert.Equal(["subject"], errors.EnumerateObject().Select(e => e.Name));
        Assert.DoesNotContain("131052-308T", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_holds_with_an_unknown_status_is_a_validation_problem_naming_status()
    {
        var errors = await ValidationErrorsAsync($"/api/retention/holds?subject={Guid.NewGuid()}&status=forgotten");

        Assert.Equal(["status"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("scheduled, released, erased", errors.GetProperty("status")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_hold_is_a_not_found_problem()
    {
        var id = Guid.NewGuid();

        using var response = await fixture.Http.GetAsync(new Uri($"/api/retention/holds/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal(id, problem.GetProperty("id").GetGuid());
    }

    private async Task<JsonElement> ValidationErrorsAsync(string path)
    {
        using var response = await fixture.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors");
    }
}
