using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Procexon.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public sealed class GatewayTests(PlatformFixture platform)
{
    private static readonly string[] s_registerSlugs =
    [
        "customers", "suppliers", "marketing", "stakeholders", "web-users",
        "contacts", "email-archive", "accounting-payroll", "employees", "backups",
    ];

    [Fact]
    public async Task Registry_serves_the_ten_registers_of_the_notice_in_both_languages()
    {
        using var registers = await GetJsonAsync("/api/registers");

        var list = registers.RootElement.EnumerateArray().ToList();
        Assert.Equal(s_registerSlugs, list.Select(r => r.GetProperty("slug").GetString()));
        foreach (var register in list)
        {
            Assert.False(string.IsNullOrWhiteSpace(register.GetProperty("name").GetProperty("fi").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(register.GetProperty("name").GetProperty("en").GetString()));
            Assert.NotEmpty(register.GetProperty("purposes").EnumerateArray());
            Assert.NotEmpty(register.GetProperty("legalBases").EnumerateArray());
            Assert.NotEmpty(register.GetProperty("dataCategories").EnumerateArray());
            Assert.NotEmpty(register.GetProperty("sources").EnumerateArray());
            Assert.NotEmpty(register.GetProperty("retentionRules").EnumerateArray());
            Assert.True(register.TryGetProperty("transfersOutsideEuEea", out _));
        }

        Assert.Equal("Asiakasrekisteri", list[0].GetProperty("name").GetProperty("fi").GetString());
    }

    [Fact]
    public async Task One_register_is_served_by_its_slug_and_an_unknown_one_is_a_404_problem()
    {
        using var accounting = await GetJsonAsync("/api/registers/accounting-payroll");
        Assert.Contains("law", accounting.RootElement.GetProperty("legalBases").EnumerateArray().Select(b => b.GetString()));
        Assert.Contains("1336/1997", accounting.RootElement.GetProperty("retention").GetProperty("en").GetString(), StringComparison.Ordinal);

        using var response = await platform.Gateway.GetAsync(new Uri("/api/registers/no-such-register", UriKind.Relative));
        using var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("no-such-register", problem.RootElement.GetProperty("register").GetString());
    }

    [Fact]
    public async Task Retention_serves_the_statutory_periods()
    {
        using var rules = await GetJsonAsync("/api/retention/rules?register=accounting-payroll");

        var byId = rules.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal("P6Y", byId["accounting-vouchers"].GetProperty("period").GetString());
        Assert.Equal("P10Y", byId["accounting-statements"].GetProperty("period").GetString());
        Assert.All(byId.Values, rule => Assert.Equal("accounting-payroll", rule.GetProperty("register").GetString()));

        using var bad = await platform.Gateway.GetAsync(new Uri("/api/retention/rules?legalBasis=vital-interest", UriKind.Relative));
        using var problem = await AssertProblemAsync(bad, HttpStatusCode.BadRequest);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("legalBasis", out _));
    }

    [Fact]
    public async Task DisclosureLog_serves_the_recipients_of_the_notice()
    {
        using var recipients = await GetJsonAsync("/api/recipients");

        var slugs = recipients.RootElement.EnumerateArray().Select(r => r.GetProperty("slug").GetString()).ToList();
        Assert.Contains("accounting-firm", slugs);
        Assert.Contains("finago", slugs);
        Assert.Contains("verkko24", slugs);
        Assert.Contains("authorities", slugs);
    }

    [Fact]
    public async Task Rights_request_is_recorded_with_its_due_date_one_month_later()
    {
        using var response = await platform.Gateway.PostAsJsonAsync("/api/requests", new
        {
            type = "access",
            subject = new { email = "Maija.Mehilainen@Example.fi", hetu = "010594Y9032" },
            channel = "letter",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("awaiting-verification", created.RootElement.GetProperty("status").GetString());
        var receivedAt = created.RootElement.GetProperty("receivedAt").GetDateTimeOffset();
        var dueOn = DateOnly.Parse(created.RootElement.GetProperty("dueOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        // One calendar month from the day the request arrived in Finnish time: late in the UTC evening that is already
        // the next day there, so counting from the UTC date fails two hours a night.
        var finnishTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");
        var receivedOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(receivedAt, finnishTime).DateTime);
        Assert.Equal(receivedOn.AddMonths(1), dueOn);

        using var fetched = await GetJsonAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(created.RootElement.GetProperty("id").GetString(), fetched.RootElement.GetProperty("id").GetString());
        // The identity code given in the request is not echoed back.
        Assert.DoesNotContain("9032", fetched.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_request_is_a_problem_naming_each_field_and_stores_nothing()
    {
        using var before = await GetJsonAsync("/api/requests");

        using var response = await platform.Gateway.PostAsJsonAsync("/api/requests", new
        {
            type = "forget-me",
            subject = new { hetu = "131052-308X", email = "not-an-address" },
        });

        using var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("type", out _));
        Assert.True(errors.TryGetProperty("subject.hetu", out _));
        Assert.True(errors.TryGetProperty("subject.email", out _));
        Assert.DoesNotContain("131052", problem.RootElement.GetRawText(), StringComparison.Ordinal);

        using var missingSubject = await platform.Gateway.PostAsJsonAsync("/api/requests", new { type = "erasure" });
        using var subjectProblem = await AssertProblemAsync(missingSubject, HttpStatusCode.BadRequest);
        Assert.True(subjectProblem.RootElement.GetProperty("errors").TryGetProperty("subject", out _));

        using var after = await GetJsonAsync("/api/requests");
        Assert.Equal(before.RootElement.GetArrayLength(), after.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Unknown_route_is_a_404_problem()
    {
        using var response = await platform.Gateway.GetAsync(new Uri("/no/such/thing", UriKind.Relative));
        using var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("/no/such/thing", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_health_reports_every_service_behind_it()
    {
        using var health = await GetJsonAsync("/health");

        Assert.Equal("Healthy", health.RootElement.GetProperty("status").GetString());
        var checks = health.RootElement.GetProperty("checks");
        foreach (var service in new[] { "registry", "rightsrequests", "retention", "disclosurelog" })
        {
            Assert.Equal("Healthy", checks.GetProperty(service).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Every_resource_runs_and_is_healthy()
    {
        var model = platform.App.Services.GetRequiredService<DistributedApplicationModel>();
        // What an operator sees on the dashboard: not parameters, not Aspire's own hidden helpers.
        var resources = model.Resources
            .Where(r => r is not ParameterResource)
            .Select(r => r.Name)
            .Where(name => !(platform.App.ResourceNotifications.TryGetCurrentState(name, out var current) && current.Snapshot.IsHidden))
            .ToList();
        Assert.Contains("postgres", resources);
        Assert.Contains("messaging", resources);
        Assert.Contains("registrydb", resources);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var name in resources)
        {
            // A service's migration step has done its work and exited cleanly; everything else runs and is healthy.
            if (name.EndsWith("-migrations", StringComparison.Ordinal))
            {
                await platform.App.ResourceNotifications.WaitForResourceAsync(name, KnownResourceStates.Finished, timeout.Token);
                Assert.Equal(0, platform.App.ResourceNotifications.TryGetCurrentState(name, out var step) ? step.Snapshot.ExitCode : null);
                continue;
            }

            var state = await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
            Assert.Equal(KnownResourceStates.Running, state.Snapshot.State?.Text);
        }

        Assert.Equal(7, resources.Count(name => name.EndsWith("-migrations", StringComparison.Ordinal)));
        // A step takes the service's settings less where the service listens: nothing DCP fails to fill in (it logs an
        // error on the dashboard for each).
        var unfilled = platform.Logs.Lines
            .Where(l => l.Resource.Contains("-migrations", StringComparison.Ordinal) && l.Line.Contains("Could not perform substitution", StringComparison.Ordinal))
            .Select(l => $"{l.Resource}: {l.Line}")
            .ToList();
        Assert.True(unfilled.Count == 0, string.Join('\n', unfilled));
    }

    [Fact]
    public async Task Correlation_id_of_the_client_comes_back_and_one_is_made_when_missing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/registers/customers");
        request.Headers.Add("X-Correlation-Id", "client-chosen-42");
        using var response = await platform.Gateway.SendAsync(request);
        Assert.Equal("client-chosen-42", Assert.Single(response.Headers.GetValues("X-Correlation-Id")));

        using var anonymous = await platform.Gateway.GetAsync(new Uri("/api/registers/customers", UriKind.Relative));
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(anonymous.Headers.GetValues("X-Correlation-Id")));
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await platform.Gateway.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    private static async Task<JsonDocument> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body);
        Assert.Equal((int)expected, problem.RootElement.GetProperty("status").GetInt32());
        return problem;
    }
}
