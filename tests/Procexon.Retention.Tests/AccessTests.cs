using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Procexon.ServiceDefaults.Security;
using Procexon.Testing;

namespace Procexon.Retention.Tests;

[Collection(RetentionCollection.Name)]
public sealed class AccessTests(RetentionFixture fixture)
{
    [Theory]
    [InlineData("/api/retention/holds")]
    [InlineData("/api/retention/rules")]
    public async Task Reading_without_a_token_is_an_unauthorized_problem(string path)
    {
        using var response = await fixture.Anonymous.GetAsync(new Uri(path, UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sweeping_without_a_token_is_an_unauthorized_problem_and_releases_nothing()
    {
        var subjectId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId, TestData.Invoices(subjectId, fixture.Today.AddDays(-1))));

        using var response = await fixture.Anonymous.PostAsync(new Uri("/api/retention/sweeps", UriKind.Relative), content: null);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(Model.LegalHoldStatus.Scheduled, Assert.Single(await fixture.HoldsOfRequestAsync(requestId)).Status);
    }

    [Theory]
    [InlineData(PlatformRoles.Auditor)]
    [InlineData(PlatformRoles.PrivacyOfficer)]
    [InlineData(PlatformRoles.CustomerService)]
    public async Task Sweeping_is_forbidden_to_anyone_but_a_register_admin(string role)
    {
        var subjectId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        await fixture.AnswerAsync(TestData.RetainedUnderLaw(requestId, TestData.Invoices(subjectId, fixture.Today.AddDays(-1))));
        using var client = fixture.ClientOf(role);

        using var response = await client.PostAsync(new Uri("/api/retention/sweeps", UriKind.Relative), content: null);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(Model.LegalHoldStatus.Scheduled, Assert.Single(await fixture.HoldsOfRequestAsync(requestId)).Status);
    }

    [Theory]
    [InlineData(PlatformRoles.Auditor)]
    [InlineData(PlatformRoles.RegisterAdmin)]
    [InlineData(PlatformRoles.PrivacyOfficer)]
    public async Task Rules_and_holds_are_read_by_privacy_officers_register_admins_and_auditors(string role)
    {
        using var client = fixture.ClientOf(role);

        using var rules = await client.GetAsync(new Uri("/api/retention/rules", UriKind.Relative));
        using var holds = await client.GetAsync(new Uri($"/api/retention/holds?subject={Guid.NewGuid()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, rules.StatusCode);
        Assert.Equal(HttpStatusCode.OK, holds.StatusCode);
    }

    [Fact]
    public async Task Customer_service_may_not_read_legal_holds()
    {
        using var client = fixture.ClientOf(PlatformRoles.CustomerService);

        using var response = await client.GetAsync(new Uri($"/api/retention/holds?subject={Guid.NewGuid()}", UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_processor_may_not_read_legal_holds()
    {
        using var client = new HttpClient(new BearerTokens(() => fixture.Identity.ProcessorTokenAsync("accounting-firm")))
        {
            BaseAddress = fixture.Http.BaseAddress,
        };

        using var response = await client.GetAsync(new Uri($"/api/retention/holds?subject={Guid.NewGuid()}", UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
    }
}
