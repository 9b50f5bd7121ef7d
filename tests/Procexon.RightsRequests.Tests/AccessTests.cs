using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Procexon.RightsRequests.Infrastructure;
using Procexon.ServiceDefaults.Security;

namespace Procexon.RightsRequests.Tests;

/// <summary>
/// Who may do what (DESIGN §10), through HTTP with the identity provider's real tokens: the public has the web form,
/// its code and its own answer link; staff routes refuse the public with 401 and other roles with 403, as problems;
/// what staff do is recorded as the token's caller, whatever the body says.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed partial class AccessTests(LifecycleFixture fixture)
{
    private const string ProblemJson = "application/problem+json";

    [Fact]
    public void Every_route_names_a_policy_or_is_deliberately_public_and_only_the_public_steps_are_open()
    {
        var endpoints = ((IEndpointRouteBuilder)fixture.Service).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
        string Route(RouteEndpoint e) =>
            $"{string.Join(",", e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])} {e.RoutePattern.RawText}";

        var unnamed = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null
            && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is not null)).Select(Route);
        var open = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(Route).Order(StringComparer.Ordinal);

        Assert.Empty(unnamed);
        Assert.Equal(
        [
            "* /alive",
            "* /health",
            "GET /api/requests/{id:guid}/answer",
            "GET /api/requests/{id:guid}/export",
            "POST /api/requests/",
            "POST /api/requests/{id:guid}/verification",
            "POST /api/requests/{id:guid}/verification-code",
        ], open);
    }

    [Theory]
    [InlineData("GET", "/api/requests")]
    [InlineData("GET", "/api/requests/{id}")]
    [InlineData("GET", "/api/requests/due-soon")]
    [InlineData("GET", "/api/requests/overdue")]
    [InlineData("GET", "/api/requests/{id}/audit")]
    [InlineData("GET", "/api/requests/audit-export?from=2028-01-01&to=2028-01-31")]
    [InlineData("GET", "/api/requests/{id}/restriction-lifting")]
    [InlineData("PUT", "/api/requests/{id}/particulars")]
    [InlineData("POST", "/api/requests/{id}/extension")]
    [InlineData("POST", "/api/requests/{id}/refusal")]
    [InlineData("POST", "/api/requests/{id}/objection-decision")]
    [InlineData("POST", "/api/requests/{id}/restriction-lifting")]
    [InlineData("GET", "/api/requests/{id}/answer")]
    [InlineData("GET", "/api/requests/{id}/export")]
    public async Task An_anonymous_caller_of_a_staff_route_is_refused_with_a_401_problem(string method, string path)
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today);

        using var response = await SendAsync(fixture.Anonymous, method, path.Replace("{id}", id.ToString(), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["received"], await fixture.AuditActionsAsync(id));
    }

    [Theory]
    [InlineData(PlatformRoles.Auditor, "POST", "/api/requests/{id}/extension")]
    [InlineData(PlatformRoles.Auditor, "POST", "/api/requests/{id}/refusal")]
    [InlineData(PlatformRoles.Auditor, "PUT", "/api/requests/{id}/particulars")]
    [InlineData(PlatformRoles.Auditor, "GET", "/api/requests/{id}/answer")]
    [InlineData(PlatformRoles.CustomerService, "POST", "/api/requests/{id}/extension")]
    [InlineData(PlatformRoles.CustomerService, "POST", "/api/requests/{id}/objection-decision")]
    [InlineData(PlatformRoles.CustomerService, "GET", "/api/requests/{id}/export")]
    [InlineData(PlatformRoles.CustomerService, "GET", "/api/requests/{id}/audit")]
    [InlineData(PlatformRoles.RegisterAdmin, "GET", "/api/requests")]
    [InlineData(PlatformRoles.RegisterAdmin, "GET", "/api/requests/{id}")]
    public async Task A_role_without_the_policy_is_refused_with_a_403_problem(string role, string method, string path)
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today);

        using var response = await SendAsync(fixture.As(role), method, path.Replace("{id}", id.ToString(), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_auditor_cannot_extend_a_request_and_nothing_changes()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today.AddDays(-2));
        var before = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/requests/{id}", UriKind.Relative));

        using var response = await fixture.As(PlatformRoles.Auditor).PostAsJsonAsync($"/api/requests/{id}/extension",
            new { months = 2, reason = "Records in every register" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var after = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/requests/{id}", UriKind.Relative));
        Assert.Equal(before.GetProperty("dueOn").GetString(), after.GetProperty("dueOn").GetString());
        Assert.Equal(["received"], await fixture.AuditActionsAsync(id));
        Assert.Empty(fixture.MailFor(id));
    }

    [Fact]
    public async Task An_auditor_may_read_requests_and_their_audit_trail()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today);
        var auditor = fixture.As(PlatformRoles.Auditor);

        using var request = await auditor.GetAsync(new Uri($"/api/requests/{id}", UriKind.Relative));
        using var audit = await auditor.GetAsync(new Uri($"/api/requests/{id}/audit", UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (request.StatusCode, audit.StatusCode));
    }

    [Theory]
    [InlineData("staff-id-document")]
    [InlineData("signed-letter")]
    public async Task An_anonymous_staff_verification_is_refused_and_the_request_neither_changes_nor_executes(string method)
    {
        var id = await ReceiveWebFormAsync("erasure", $"victim-{Guid.NewGuid():N}@example.fi");

        using var response = await fixture.Anonymous.PostAsJsonAsync($"/api/requests/{id}/verification",
            new { method, verifiedBy = "Anna Asiakaspalvelu" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("awaiting-verification", await StatusAsync(id));
        Assert.Equal(["received"], await fixture.AuditActionsAsync(id));
        Assert.False(await fixture.ExecutedAsync(id));
        Assert.DoesNotContain(id, fixture.ErasuresRequested);
    }

    [Fact]
    public async Task A_staff_verification_by_a_role_that_may_not_handle_requests_is_a_403_and_changes_nothing()
    {
        var id = await ReceiveWebFormAsync("erasure", $"auditor-{Guid.NewGuid():N}@example.fi");

        using var response = await fixture.As(PlatformRoles.Auditor).PostAsJsonAsync($"/api/requests/{id}/verification",
            new { method = "staff-in-person" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("awaiting-verification", await StatusAsync(id));
        Assert.False(await fixture.ExecutedAsync(id));
    }

    [Fact]
    public async Task A_staff_verification_records_the_token_s_caller_not_the_name_in_the_body()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today);
        var customerService = fixture.As(PlatformRoles.CustomerService);

        using var response = await customerService.PostAsJsonAsync($"/api/requests/{id}/verification",
            new { method = "staff-id-document", verifiedBy = "Someone Else", identifiers = new[] { "email" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = LifecycleFixture.ActorOf(await fixture.Identity.AccessTokenAsync(PlatformRoles.CustomerService));
        var verification = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verification");
        Assert.Equal(expected, verification.GetProperty("verifiedBy").GetString());
        Assert.Equal(["email"], verification.GetProperty("identifiers").EnumerateArray().Select(i => i.GetString()));
        var entry = (await fixture.AuditAsync(id)).GetProperty("entries")[1];
        Assert.Equal(("verified", expected), (entry.GetProperty("action").GetString(), entry.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task The_extension_s_audit_entry_carries_the_token_s_actor_although_the_body_names_someone_else()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today.AddDays(-1));

        using var response = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/extension",
            new { months = 1, reason = "Records in ten registers", extendedBy = "Someone Else" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = (await fixture.AuditAsync(id)).GetProperty("entries").EnumerateArray().ToArray();
        var extended = Assert.Single(entries, e => e.GetProperty("action").GetString() == "extended");
        Assert.Equal(fixture.OfficerActor, extended.GetProperty("actor").GetString());
        Assert.DoesNotContain(entries, e => e.GetProperty("actor").GetString()!.Contains("Someone Else", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("letter", "2028-01-30")]
    [InlineData("email", null)]
    [InlineData("web-form", "2028-01-30")]
    public async Task An_anonymous_written_request_is_refused_with_a_401_problem_and_nothing_is_stored(string channel, string? receivedOn)
    {
        var email = $"written-{Guid.NewGuid():N}@example.fi";

        using var response = await fixture.Anonymous.PostAsJsonAsync("/api/requests",
            new { type = "erasure", subject = new { email }, channel, receivedOn, enteredBy = "Anna Asiakaspalvelu" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await fixture.InScopeAsync(db => db.Requests.CountAsync(r => r.Subject.Email == email)));
    }

    [Fact]
    public async Task A_written_request_by_a_role_that_may_not_handle_requests_is_a_403_problem()
    {
        using var response = await fixture.As(PlatformRoles.Auditor).PostAsJsonAsync("/api/requests",
            new { type = "access", subject = new { email = "auditor-letter@example.fi" }, channel = "letter", receivedOn = "2028-01-30" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_public_sends_the_web_form_anonymously_and_is_recorded_as_the_data_subject()
    {
        using var response = await fixture.Anonymous.PostAsJsonAsync("/api/requests",
            new { type = "access", subject = new { email = $"public-{Guid.NewGuid():N}@example.fi" }, channel = "web-form" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var received = (await fixture.AuditAsync(id)).GetProperty("entries")[0];
        Assert.Equal("data-subject", received.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task The_requester_reads_their_answer_anonymously_with_the_key_their_code_gave_them_and_not_without_it()
    {
        var id = await ReceiveWebFormAsync("erasure", $"answer-{Guid.NewGuid():N}@example.fi");
        var other = await ReceiveWebFormAsync("erasure", $"other-{Guid.NewGuid():N}@example.fi");
        var verified = await VerifyByCodeAsync(id);
        var otherKey = (await VerifyByCodeAsync(other)).GetProperty("answerKey").GetString()!;
        var key = verified.GetProperty("answerKey").GetString()!;
        var answerUrl = verified.GetProperty("answerUrl").GetString()!;

        Assert.Equal(43, key.Length);
        Assert.Equal($"/api/requests/{id}/answer?key={key}", answerUrl);
        var stored = await fixture.InScopeAsync(db => db.Requests.AsNoTracking().Where(r => r.Id == id).Select(r => r.AnswerKeyHash).SingleAsync());
        Assert.NotNull(stored);
        Assert.DoesNotContain(key, stored, StringComparison.Ordinal);
        // Said once: the request's status never repeats it.
        Assert.DoesNotContain(key, await fixture.Http.GetStringAsync(new Uri($"/api/requests/{id}", UriKind.Relative)), StringComparison.Ordinal);

        // The key is accepted before the answer exists: the request is still running.
        using (var early = await fixture.Anonymous.GetAsync(new Uri(answerUrl, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }

        await CompleteWithNoRegistersHoldingAsync(id);

        using var answer = await fixture.Anonymous.GetAsync(new Uri(answerUrl, UriKind.Relative));
        using var withoutKey = await fixture.Anonymous.GetAsync(new Uri($"/api/requests/{id}/answer", UriKind.Relative));
        using var wrongKey = await fixture.Anonymous.GetAsync(new Uri($"/api/requests/{id}/answer?key={Flip(key)}", UriKind.Relative));
        using var othersKey = await fixture.Anonymous.GetAsync(new Uri($"/api/requests/{id}/answer?key={otherKey}", UriKind.Relative));
        using var exportWithout = await fixture.Anonymous.GetAsync(new Uri($"/api/requests/{id}/export", UriKind.Relative));
        using var exportWithKey = await fixture.Anonymous.GetAsync(new Uri($"/api/requests/{id}/export?key={key}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(id, (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetGuid());
        foreach (var refused in new[] { withoutKey, wrongKey, othersKey, exportWithout })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(ProblemJson, refused.Content.Headers.ContentType?.MediaType);
        }

        // The key opens the export too; an erasure has none, which only someone let through is told.
        Assert.Equal(HttpStatusCode.Conflict, exportWithKey.StatusCode);
    }

    [Fact]
    public async Task A_key_to_an_unknown_request_is_a_401_not_a_404()
    {
        using var response = await fixture.Anonymous.GetAsync(new Uri($"/api/requests/{Guid.NewGuid()}/answer?key=abc", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_staff_verification_gives_no_answer_key()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today);

        using var response = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "staff-in-person" });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.TryGetProperty("answerKey", out _));
        Assert.Null(await fixture.InScopeAsync(db => db.Requests.AsNoTracking().Where(r => r.Id == id).Select(r => r.AnswerKeyHash).SingleAsync()));
    }

    private async Task<Guid> ReceiveWebFormAsync(string type, string email)
    {
        using var response = await fixture.Anonymous.PostAsJsonAsync("/api/requests", new { type, subject = new { email } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The requester's own steps, all anonymous; the code is read from the mail sink (staff only).</summary>
    private async Task<JsonElement> VerifyByCodeAsync(Guid id)
    {
        using (var sent = await fixture.Anonymous.PostAsync(new Uri($"/api/requests/{id}/verification-code", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        var code = SixDigits().Match(Assert.Single(fixture.MailFor(id)).Body).Value;
        using var response = await fixture.Anonymous.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "one-time-code", code });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The fan-out's answers, as its consumers record them: no register holds the subject, nobody to notify.</summary>
    private Task<int> CompleteWithNoRegistersHoldingAsync(Guid id) => fixture.InScopeAsync(async db =>
    {
        var request = await db.LockRequestAsync(id, CancellationToken.None);
        request!.RecordScope([], [Requests.Customers], fixture.Clock.GetUtcNow());
        request.RecordNotifiedRecipients([], fixture.Clock.GetUtcNow());
        Assert.True(request.TryComplete(fixture.Clock.GetUtcNow()));
        return await db.SaveChangesAsync();
    });

    private async Task<string?> StatusAsync(Guid id) =>
        (await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/requests/{id}", UriKind.Relative))).GetProperty("status").GetString();

    private static string Flip(string key) => (key[0] == 'A' ? "B" : "A") + key[1..];

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method is "POST" or "PUT")
        {
            request.Content = JsonContent.Create(new { months = 1, reason = "A reason", upheld = true, objection = "direct-marketing" });
        }

        return await client.SendAsync(request);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
