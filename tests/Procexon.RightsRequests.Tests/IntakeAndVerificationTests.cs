using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Procexon.RightsRequests.Model;
using Procexon.Testing;

namespace Procexon.RightsRequests.Tests;

/// <summary>Written requests entered by staff, the expiry of unverified requests, and verification by one-time code.</summary>
[Collection(LifecycleCollection.Name)]
public sealed partial class IntakeAndVerificationTests(LifecycleFixture fixture)
{
    [Fact]
    public async Task A_letter_entered_by_staff_counts_from_the_day_it_was_received_and_records_the_signed_in_caller_as_who_entered_it()
    {
        var id = await fixture.ReceiveLetterAsync(new DateOnly(2028, 1, 10));

        var request = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/requests/{id}", UriKind.Relative));
        var audit = await fixture.AuditAsync(id);

        Assert.Equal("2028-02-10", request.GetProperty("dueOn").GetString());
        Assert.Equal("letter", request.GetProperty("channel").GetString());
        // Midnight in Helsinki (UTC+2) on 10 January.
        Assert.Equal(new DateTimeOffset(2028, 1, 9, 22, 0, 0, TimeSpan.Zero), request.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.Equal(fixture.OfficerActor, audit.GetProperty("request").GetProperty("enteredBy").GetString());
        Assert.Equal(fixture.Clock.GetUtcNow(), audit.GetProperty("request").GetProperty("enteredAt").GetDateTimeOffset());
        var received = Assert.Single(audit.GetProperty("entries").EnumerateArray());
        Assert.Equal(("received", fixture.OfficerActor), (received.GetProperty("action").GetString(), received.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task A_web_form_request_is_received_now_by_the_data_subject()
    {
        var id = await fixture.ReceiveAsync(new { type = "access", subject = new { email = "web@example.fi" } });

        var audit = await fixture.AuditAsync(id);

        Assert.Equal(fixture.Clock.GetUtcNow(), audit.GetProperty("request").GetProperty("receivedAt").GetDateTimeOffset());
        Assert.Equal("web-form", audit.GetProperty("request").GetProperty("channel").GetString());
        Assert.Equal("data-subject", audit.GetProperty("entries")[0].GetProperty("actor").GetString());
    }

    [Theory]
    [InlineData("2028-02-01", "letter", "receivedOn")]
    [InlineData("2027-01-30", "letter", "receivedOn")]
    [InlineData("2028-01-20", "web-form", "channel")]
    public async Task A_bad_written_request_is_a_problem_naming_the_field(string receivedOn, string channel, string field)
    {
        using var response = await fixture.Http.PostAsJsonAsync("/api/requests",
            new { type = "erasure", subject = new { email = "letter@example.fi" }, channel, receivedOn });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task A_request_received_exactly_a_year_ago_is_accepted()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today.AddYears(-1));

        Assert.Equal(["received"], await fixture.AuditActionsAsync(id));
    }

    [Fact]
    public async Task An_unverified_request_expires_after_the_window_executing_nothing_and_a_verified_one_does_not()
    {
        var unverified = await fixture.ReceiveLetterAsync(LifecycleFixture.Today.AddDays(-20));
        var verified = await fixture.ReceiveLetterAsync(LifecycleFixture.Today.AddDays(-20));
        using (var response = await fixture.Http.PostAsJsonAsync($"/api/requests/{verified}/verification", new { method = "staff-in-person" }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The window (14 days) counts from when the request was entered (now), not from the letter's date.
        var notYet = await fixture.SweepAt(fixture.Clock.GetUtcNow().AddDays(14)).ExpireUnverifiedAsync(CancellationToken.None);
        Assert.Equal("awaiting-verification", await StatusAsync(unverified));

        var expired = await fixture.SweepAt(fixture.Clock.GetUtcNow().AddDays(14).AddMinutes(1)).ExpireUnverifiedAsync(CancellationToken.None);

        Assert.True(expired >= 1, $"expired {expired}, before the window {notYet}");
        Assert.Equal("expired", await StatusAsync(unverified));
        Assert.Equal("in-progress", await StatusAsync(verified));
        var entry = (await fixture.AuditAsync(unverified)).GetProperty("entries")[1];
        Assert.Equal(("expired", "system", "identity not verified within 14 days"),
            (entry.GetProperty("action").GetString(), entry.GetProperty("actor").GetString(), entry.GetProperty("reason").GetString()));
        Assert.False(await fixture.ExecutedAsync(unverified));
        using var late = await fixture.Http.PostAsJsonAsync($"/api/requests/{unverified}/verification", new { method = "staff-in-person" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task The_right_code_verifies_and_only_then_the_request_executes()
    {
        var email = $"code-{Guid.NewGuid():N}@example.fi";
        var id = await fixture.ReceiveAsync(new { type = "erasure", subject = new { email } });

        var sent = await SendCodeAsync(id);
        var mail = Assert.Single(fixture.MailFor(id));
        var code = CodeIn(mail);

        Assert.Equal([email], mail.Recipients);
        Assert.Equal(5, sent.GetProperty("attempts").GetInt32());
        Assert.Equal(fixture.Clock.GetUtcNow().AddMinutes(15), sent.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.DoesNotContain(email, sent.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(code, sent.ToString(), StringComparison.Ordinal);
        Assert.False(await fixture.ExecutedAsync(id));
        var stored = await fixture.InScopeAsync(db => db.Requests.AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.NotNull(stored.VerificationCodeHash);
        Assert.DoesNotContain(code, stored.VerificationCodeHash, StringComparison.Ordinal);

        using var verified = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "one-time-code", code });

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var status = await verified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("in-progress", status.GetProperty("status").GetString());
        Assert.Equal("one-time-code", status.GetProperty("verification").GetProperty("method").GetString());
        Assert.True(await LifecycleFixture.EventuallyAsync(() => fixture.ErasuresRequested.Contains(id), TimeSpan.FromSeconds(20)),
            "The verified erasure was never published.");
        Assert.Equal(["received", "verification-code-sent", "verified"], await fixture.AuditActionsAsync(id));
    }

    [Fact]
    public async Task A_wrong_code_is_counted_and_refused_naming_code_and_five_use_up_the_code()
    {
        var id = await fixture.ReceiveAsync(new { type = "erasure", subject = new { email = "wrong@example.fi" } });
        await SendCodeAsync(id);
        var code = CodeIn(Assert.Single(fixture.MailFor(id)));
        var wrong = code == "000000" ? "000001" : "000000";

        var messages = new List<string>();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var response = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "one-time-code", code = wrong });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Equal(["code"], errors.EnumerateObject().Select(e => e.Name));
            messages.Add(errors.GetProperty("code")[0].GetString()!);
        }

        using var right = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "one-time-code", code });

        Assert.Equal("The code is wrong; 4 attempt(s) left.", messages[0]);
        Assert.Equal("The code is wrong and no attempts are left; ask for a new code.", messages[4]);
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Equal("awaiting-verification", await StatusAsync(id));
        Assert.False(await fixture.ExecutedAsync(id));
        var rejected = (await fixture.AuditAsync(id)).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "verification-code-rejected").ToList();
        Assert.Equal(6, rejected.Count);
        Assert.All(rejected, e => Assert.Equal("data-subject", e.GetProperty("actor").GetString()));
        Assert.Equal("wrong code (attempt 1 of 5)", rejected[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var id = await fixture.ReceiveAsync(new { type = "erasure", subject = new { email = "late@example.fi" } });
        await SendCodeAsync(id);
        var code = CodeIn(Assert.Single(fixture.MailFor(id)));
        fixture.Clock.Advance(TimeSpan.FromMinutes(15).Add(TimeSpan.FromSeconds(1)));

        using var response = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "one-time-code", code });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("code")[0].GetString();
        Assert.StartsWith("The code has expired", error, StringComparison.Ordinal);
        Assert.Equal("awaiting-verification", await StatusAsync(id));
        Assert.False(await fixture.ExecutedAsync(id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("12345")]
    [InlineData("abcdef")]
    public async Task A_missing_or_malformed_code_is_a_problem_naming_code(string? code)
    {
        var id = await fixture.ReceiveAsync(new { type = "erasure", subject = new { email = "malformed@example.fi" } });

        using var response = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "one-time-code", code });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["code"], (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task A_code_cannot_be_sent_when_the_requester_gave_no_e_mail_address()
    {
        var id = await fixture.ReceiveAsync(new { type = "access", subject = new { hetu = "131052-308T" }, channel = "letter", receivedOn = "2028-01-30" });

        using var response = await fixture.Http.PostAsync(new Uri($"/api/requests/{id}/verification-code", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("No e-mail address", body, StringComparison.Ordinal);
        Assert.DoesNotContain("131052-308T", body, StringComparison.Ordinal);
    }

    private async Task<JsonElement> SendCodeAsync(Guid id)
    {
        using var response = await fixture.Http.PostAsync(new Uri($"/api/requests/{id}/verification-code", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string?> StatusAsync(Guid id) =>
        (await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/requests/{id}", UriKind.Relative))).GetProperty("status").GetString();

    private static string CodeIn(ReceivedMail mail) => SixDigits().Match(mail.Body).Value;

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
