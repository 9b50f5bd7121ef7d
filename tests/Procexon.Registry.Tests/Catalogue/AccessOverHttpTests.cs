using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Procexon.Registry.Extensions;
using Procexon.ServiceDefaults.Security;

namespace Procexon.Registry.Tests.Catalogue;

/// <summary>
/// Who may do what in the Registry (DESIGN §10), through HTTP with tokens of the platform's identity provider. On the
/// catalogue collection's Registry, since an edit here adds a version.
/// </summary>
[Collection(CatalogueCollection.Name)]
public sealed class AccessOverHttpTests(RegistryFixture fixture)
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>How the identity provider's seeded client <c>test-register-admin</c> is recorded as an actor.</summary>
    private const string RegisterAdminClient = "Test client test-register-admin (test-register-admin)";

    [Theory]
    [InlineData("POST", "/api/subjects/search")]
    [InlineData("GET", "/api/subjects/searches")]
    [InlineData("POST", "/api/subjects")]
    [InlineData("GET", "/api/subjects/0195f0a0-0000-7000-8000-000000000001")]
    [InlineData("GET", "/api/subjects/0195f0a0-0000-7000-8000-000000000001/records")]
    [InlineData("GET", "/api/subjects/0195f0a0-0000-7000-8000-000000000001/merges")]
    [InlineData("POST", "/api/subjects/0195f0a0-0000-7000-8000-000000000001/merge")]
    [InlineData("POST", "/api/subjects/0195f0a0-0000-7000-8000-000000000001/identifier-corrections")]
    [InlineData("GET", "/api/subjects/0195f0a0-0000-7000-8000-000000000001/identifier-corrections")]
    [InlineData("POST", "/api/subjects/demo-data")]
    [InlineData("GET", "/api/registers")]
    [InlineData("GET", "/api/registers/customers")]
    [InlineData("PUT", "/api/registers/customers")]
    [InlineData("GET", "/api/registers/customers/versions")]
    [InlineData("GET", "/api/registers/customers/versions/1")]
    [InlineData("GET", "/api/registers/record-of-processing")]
    [InlineData("POST", "/api/registers/customers/records")]
    [InlineData("GET", "/api/registers/customers/records/0195f0a0-0000-7000-8000-000000000001")]
    [InlineData("PATCH", "/api/registers/customers/records/0195f0a0-0000-7000-8000-000000000001")]
    public async Task Anonymous_caller_gets_a_401_problem_on_every_route_but_the_notice(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = JsonContent.Create(new { subjects = 1 });
        }

        using var response = await fixture.Anonymous.SendAsync(request);

        await AssertProblemAsync(HttpStatusCode.Unauthorized, response);
    }

    [Fact]
    public async Task Auditor_reads_the_catalogue_but_may_not_search_subjects()
    {
        var auditor = await fixture.AsAsync(PlatformRoles.Auditor);

        using var search = await auditor.PostAsJsonAsync(new Uri("/api/subjects/search", UriKind.Relative), new { email = "x@example.fi" });
        using var catalogue = await auditor.GetAsync(new Uri("/api/registers", UriKind.Relative));
        using var history = await auditor.GetAsync(new Uri("/api/registers/customers/versions", UriKind.Relative));
        using var record = await auditor.GetAsync(new Uri("/api/registers/record-of-processing", UriKind.Relative));

        await AssertProblemAsync(HttpStatusCode.Forbidden, search);
        Assert.Equal(HttpStatusCode.OK, catalogue.StatusCode);
        Assert.Equal(10, (await catalogue.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Equal(HttpStatusCode.OK, record.StatusCode);
    }

    [Fact]
    public async Task Customer_service_may_not_edit_the_catalogue_and_nothing_changes()
    {
        var customerService = await fixture.AsAsync(PlatformRoles.CustomerService);
        var before = await VersionsAsync("customers");

        using var response = await customerService.PutAsJsonAsync(
            new Uri("/api/registers/customers", UriKind.Relative), await EditBodyAsync("customers", "Customer service tries an edit."));

        await AssertProblemAsync(HttpStatusCode.Forbidden, response);
        Assert.Equal(before.Count, (await VersionsAsync("customers")).Count);
    }

    [Fact]
    public async Task Register_admin_edit_is_recorded_as_the_token_caller_even_when_the_body_names_someone_else()
    {
        var admin = await fixture.AsAsync(PlatformRoles.RegisterAdmin);
        var body = await EditBodyAsync("customers", "Reviewed over HTTP.");
        // An old client still sends changedBy: it is ignored, never trusted.
        body["changedBy"] = "Tietosuojavastaava Tiina Testaaja";

        using var response = await admin.PutAsJsonAsync(new Uri("/api/registers/customers", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var version = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
        var latest = (await VersionsAsync("customers"))[0];
        Assert.Equal((version, "Reviewed over HTTP."), (latest.GetProperty("version").GetInt32(), latest.GetProperty("changeNote").GetString()));
        Assert.Equal(RegisterAdminClient, latest.GetProperty("changedBy").GetString());
        var stored = await fixture.InDatabaseAsync(db => db.RegisterVersions.AsNoTracking().SingleAsync(v => v.Slug == "customers" && v.Version == version));
        Assert.Equal(RegisterAdminClient, stored.ChangedBy);
    }

    [Fact]
    public async Task Register_admin_merge_is_recorded_as_the_token_caller_even_when_the_body_names_someone_else()
    {
        var admin = await fixture.AsAsync(PlatformRoles.RegisterAdmin);
        var tag = Guid.NewGuid().ToString("N")[..10];
        var into = await CreateSubjectAsync(admin, new { name = "Maija Meikäläinen", email = $"maija.{tag}@example.fi" });
        var duplicate = await CreateSubjectAsync(admin, new { name = "Maija M.", customerNumber = $"C-{tag}" });

        using var response = await admin.PostAsJsonAsync(
            new Uri($"/api/subjects/{into}/merge", UriKind.Relative),
            new { duplicateId = duplicate, mergedBy = "Asiakaspalvelu Anna", reason = "Same person on two order forms." });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(RegisterAdminClient, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mergedBy").GetString());
        var stored = await fixture.InDatabaseAsync(db => db.SubjectMerges.AsNoTracking().SingleAsync(m => m.FromSubjectId == duplicate));
        Assert.Equal(RegisterAdminClient, stored.MergedBy);
    }

    [Fact]
    public async Task Customer_service_reads_subjects_but_may_not_create_or_merge_them()
    {
        var customerService = await fixture.AsAsync(PlatformRoles.CustomerService);
        var id = Guid.CreateVersion7();

        using var search = await customerService.PostAsJsonAsync(new Uri("/api/subjects/search", UriKind.Relative), new { email = "nobody@example.fi" });
        using var create = await customerService.PostAsJsonAsync(new Uri("/api/subjects", UriKind.Relative), new { email = "someone@example.fi" });
        using var merge = await customerService.PostAsJsonAsync(
            new Uri($"/api/subjects/{id}/merge", UriKind.Relative), new { duplicateId = Guid.CreateVersion7(), reason = "Same." });

        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        await AssertProblemAsync(HttpStatusCode.Forbidden, create);
        await AssertProblemAsync(HttpStatusCode.Forbidden, merge);
    }

    [Fact]
    public async Task Each_subject_search_is_recorded_with_the_token_caller_and_the_kinds_searched_by_never_the_values()
    {
        var customerService = await fixture.AsAsync(PlatformRoles.CustomerService);
        var admin = await fixture.AsAsync(PlatformRoles.RegisterAdmin);
        var tag = Guid.NewGuid().ToString("N")[..10];
        var email = $"searched.{tag}@example.fi";
        await CreateSubjectAsync(admin, new { name = "Searched Person", email });
        var startedAt = DateTimeOffset.UtcNow;

        using var search = await customerService.PostAsJsonAsync(
            new Uri("/api/subjects/search", UriKind.Relative), new { email, customerNumber = $"C-{tag}" });
        using var bad = await customerService.PostAsJsonAsync(new Uri("/api/subjects/search", UriKind.Relative), new { email = "not an address" });

        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Equal(1, (await search.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
        await AssertProblemAsync(HttpStatusCode.BadRequest, bad);
        var recorded = await fixture.InDatabaseAsync(db => db.SubjectSearches.AsNoTracking().Where(s => s.SearchedAt >= startedAt).ToListAsync());
        var entry = Assert.Single(recorded, s => s.SearchedBy == "Test client test-customer-service (test-customer-service)");
        Assert.Equal(["email", "customerNumber"], entry.IdentifierKinds);
        Assert.Equal(1, entry.Found);

        // The privacy officer reads the searches back; customer service, who searches, may not.
        var officer = await fixture.AsAsync(PlatformRoles.PrivacyOfficer);
        using var list = await officer.GetAsync(new Uri("/api/subjects/searches", UriKind.Relative));
        using var refused = await customerService.GetAsync(new Uri("/api/subjects/searches", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listed = await list.Content.ReadAsStringAsync();
        Assert.Contains(entry.Id.ToString(), listed, StringComparison.Ordinal);
        Assert.DoesNotContain(email, listed, StringComparison.Ordinal);
        await AssertProblemAsync(HttpStatusCode.Forbidden, refused);
    }

    [Fact]
    public async Task Anyone_reads_the_privacy_notice_without_a_token()
    {
        using var response = await fixture.Anonymous.GetAsync(new Uri("/api/registers/notice?lang=en", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Demo_data_is_refused_to_anonymous_and_customer_service_callers_and_nothing_is_loaded()
    {
        var subjectsBefore = await fixture.CountAsync(db => db.Subjects);
        var customerService = await fixture.AsAsync(PlatformRoles.CustomerService);

        using var anonymous = await fixture.Anonymous.PostAsJsonAsync(new Uri("/api/subjects/demo-data", UriKind.Relative), new { subjects = 5 });
        using var staff = await customerService.PostAsJsonAsync(new Uri("/api/subjects/demo-data", UriKind.Relative), new { subjects = 5 });

        await AssertProblemAsync(HttpStatusCode.Unauthorized, anonymous);
        await AssertProblemAsync(HttpStatusCode.Forbidden, staff);
        Assert.Equal(subjectsBefore, await fixture.CountAsync(db => db.Subjects));
    }

    [Fact]
    public async Task Registry_without_a_token_issuer_refuses_to_start()
    {
        var registry = Host.CreateApplicationBuilder();
        registry.Configuration.AddInMemoryCollection(fixture.ServiceSettings());
        registry.AddApplicationServices();
        using var host = registry.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Authentication:Authority", error.Message, StringComparison.Ordinal);
    }

    private static async Task AssertProblemAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
    }

    /// <summary>The register as GET answers it, as the edit body, with why and the version read.</summary>
    private async Task<JsonObject> EditBodyAsync(string register, string changeNote)
    {
        var reader = await fixture.AsAsync(PlatformRoles.RegisterAdmin);
        var body = (await reader.GetFromJsonAsync<JsonObject>(new Uri($"/api/registers/{register}", UriKind.Relative)))!;
        body["changeNote"] = changeNote;
        body["expectedVersion"] = body["version"]!.GetValue<int>();
        return body;
    }

    private async Task<List<JsonElement>> VersionsAsync(string register)
    {
        var auditor = await fixture.AsAsync(PlatformRoles.Auditor);
        return [.. (await auditor.GetFromJsonAsync<JsonElement>(new Uri($"/api/registers/{register}/versions", UriKind.Relative))).EnumerateArray()];
    }

    private static async Task<Guid> CreateSubjectAsync(HttpClient client, object subject)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/subjects", UriKind.Relative), subject);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }
}
