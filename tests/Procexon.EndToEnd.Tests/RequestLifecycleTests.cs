using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// A request's life through the gateway: a letter entered with the day it arrived, the answer period extended, then
/// verified by the code the Development mail sink shows, or refused; the audit trail and its export read back.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RequestLifecycleTests(PlatformFixture platform)
{
    private static readonly TimeZoneInfo s_finnishTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");

    private static DateOnly FinnishToday => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, s_finnishTime).DateTime);

    [Fact]
    public async Task Letter_received_earlier_is_extended_then_verified_by_e_mailed_code_and_its_trail_read_back()
    {
        var gateway = platform.Gateway;
        var email = $"lifecycle-{Guid.NewGuid():N}@example.fi";
        var receivedOn = FinnishToday.AddDays(-5);

        // Customer service enters the letter, the privacy officer extends: the trail names each from their token.
        var customerService = await platform.GatewayAs("customer-service");
        var privacyOfficer = await platform.GatewayAs("privacy-officer");
        Guid id;
        using (var entered = await customerService.PostAsJsonAsync("/api/requests", new
        {
            type = "access",
            subject = new { name = "Matti Meikäläinen", email },
            channel = "letter",
            receivedOn = Day(receivedOn),
            enteredBy = "Someone Typed Here",
        }))
        {
            await AssertStatusAsync(entered, HttpStatusCode.Created);
            id = (await entered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        using (var request = await GetJsonAsync(gateway, $"/api/requests/{id}"))
        {
            Assert.Equal(Day(receivedOn.AddMonths(1)), request.RootElement.GetProperty("dueOn").GetString());
        }

        using (var extended = await privacyOfficer.PostAsJsonAsync($"/api/requests/{id}/extension",
            new { months = 2, reason = "The request covers ten registers and their backups" }))
        {
            await AssertStatusAsync(extended, HttpStatusCode.OK);
            var change = await extended.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(Day(receivedOn.AddMonths(3)), change.GetProperty("request").GetProperty("dueOn").GetString());
            Assert.True(change.GetProperty("notice").GetProperty("sent").GetBoolean());
        }

        using (var sent = await gateway.PostAsync(new Uri($"/api/requests/{id}/verification-code", UriKind.Relative), null))
        {
            await AssertStatusAsync(sent, HttpStatusCode.OK);
        }

        // What the mail server received: the extension notice and the code, both to the address given.
        var mail = await platform.Mail.WaitForAsync(id, count: 2);
        Assert.Equal(2, mail.Count);
        Assert.All(mail, m => Assert.Equal([email], m.Recipients));
        var code = mail[0].Code!;
        Assert.Equal("Vahvistuskoodi / Verification code", mail[0].Subject);
        Assert.Contains(receivedOn.AddMonths(3).ToString("d.M.yyyy", CultureInfo.InvariantCulture), mail[1].Body, StringComparison.Ordinal);

        using (var wrong = await gateway.PostAsJsonAsync($"/api/requests/{id}/verification",
            new { method = "one-time-code", code = code == "000000" ? "000001" : "000000" }))
        {
            await AssertStatusAsync(wrong, HttpStatusCode.BadRequest);
            Assert.Equal(["code"], (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        }

        using (var verified = await gateway.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "one-time-code", code }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
            Assert.Equal("in-progress", (await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        // Verified, the access request runs; nobody holds this subject, so it completes at once ("we hold no data"). Wait
        // for that, so the trail is whole.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var status = await GetJsonAsync(gateway, $"/api/requests/{id}");
            if (status.RootElement.GetProperty("status").GetString() == "completed")
            {
                break;
            }

            await Task.Delay(200);
        }

        using var audit = await GetJsonAsync(gateway, $"/api/requests/{id}/audit");
        var entries = audit.RootElement.GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(
            ["received", "extended", "subject-notified", "verification-code-sent", "verification-code-rejected", "verified", "completed"],
            entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(
            ["Development client customer-service (dev-customer-service)", "Development client privacy-officer (dev-privacy-officer)",
                "system", "system", "data-subject", "data-subject", "system"],
            entries.Select(e => e.GetProperty("actor").GetString()));
        Assert.Equal("The request covers ten registers and their backups", entries[1].GetProperty("reason").GetString());
        Assert.DoesNotContain(email, audit.RootElement.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(code, audit.RootElement.ToString(), StringComparison.Ordinal);

        // The export for the Data Protection Ombudsman holds the same entries.
        var export = await gateway.GetFromJsonAsync<JsonElement[]>(new Uri(
            $"/api/requests/audit-export?from={Day(FinnishToday.AddDays(-1))}&to={Day(FinnishToday.AddDays(1))}&format=json", UriKind.Relative));
        Assert.Equal(
            entries.Select(e => e.ToString()),
            export!.Where(e => e.GetProperty("requestId").GetGuid() == id).Select(e => e.ToString()));
    }

    [Fact]
    public async Task Letter_extended_then_refused_tells_the_subject_and_never_executes()
    {
        var gateway = platform.Gateway;
        var id = await CreateAsync(new
        {
            type = "erasure",
            subject = new { email = $"refused-{Guid.NewGuid():N}@example.fi" },
            channel = "email",
            receivedOn = Day(FinnishToday.AddDays(-2)),
        });
        using (var extended = await gateway.PostAsJsonAsync($"/api/requests/{id}/extension",
            new { months = 1, reason = "Legal review" }))
        {
            await AssertStatusAsync(extended, HttpStatusCode.OK);
        }

        using (var refused = await gateway.PostAsJsonAsync($"/api/requests/{id}/refusal",
            new { reason = "Manifestly excessive: the tenth identical request this month" }))
        {
            await AssertStatusAsync(refused, HttpStatusCode.OK);
        }

        using (var verified = await gateway.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "staff-id-document" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.Conflict);
        }

        using var request = await GetJsonAsync(gateway, $"/api/requests/{id}");
        Assert.Equal("refused", request.RootElement.GetProperty("status").GetString());
        Assert.Empty(request.RootElement.GetProperty("registers").EnumerateArray());
        using var audit = await GetJsonAsync(gateway, $"/api/requests/{id}/audit");
        Assert.Equal(
            ["received", "extended", "subject-notified", "refused", "subject-notified"],
            audit.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Contains("tietosuojavaltuutetulle", (await platform.Mail.WaitForAsync(id, count: 2))[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_web_form_is_served_through_the_gateway_and_what_it_posts_is_received_now()
    {
        var gateway = platform.Gateway;

        // The console's page, served to anyone (this client's token is not needed) with the console's headers.
        using var page = await gateway.GetAsync(new Uri("/requests/new", UriKind.Relative));
        await AssertStatusAsync(page, HttpStatusCode.OK);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        // The console's policy (scripts from itself only), beside the gateway's own frame-ancestors, which a browser enforces too.
        Assert.Contains(page.Headers.GetValues("Content-Security-Policy"), policy => policy.Contains("script-src 'self';", StringComparison.Ordinal));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Matches("<script type=\"module\" src=\"js/request-form[^\"]*\\.js\"", html);
        Assert.Contains("<option value=\"portability\">", html, StringComparison.Ordinal);

        // What the form's script posts.
        var id = await CreateAsync(new
        {
            type = "portability",
            subject = new { name = "Liisa Lomake", email = $"form-{Guid.NewGuid():N}@example.fi", phone = (string?)null },
            channel = "web-form",
            details = (string?)null,
        });
        using var audit = await GetJsonAsync(gateway, $"/api/requests/{id}/audit");
        Assert.Equal("web-form", audit.RootElement.GetProperty("request").GetProperty("channel").GetString());
        Assert.Equal("data-subject", audit.RootElement.GetProperty("entries")[0].GetProperty("actor").GetString());
        Assert.True(DateTimeOffset.UtcNow - audit.RootElement.GetProperty("request").GetProperty("receivedAt").GetDateTimeOffset() < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Due_soon_and_overdue_lists_answer_through_the_gateway()
    {
        var gateway = platform.Gateway;
        var overdue = await CreateAsync(new
        {
            type = "access",
            subject = new { email = $"overdue-{Guid.NewGuid():N}@example.fi" },
            receivedOn = Day(FinnishToday.AddMonths(-2)),
        });

        var overdueList = await gateway.GetFromJsonAsync<JsonElement[]>(new Uri("/api/requests/overdue", UriKind.Relative));
        var dueSoon = await gateway.GetFromJsonAsync<JsonElement[]>(new Uri("/api/requests/due-soon?days=7", UriKind.Relative));

        Assert.Contains(overdue, overdueList!.Select(r => r.GetProperty("id").GetGuid()));
        Assert.DoesNotContain(overdue, dueSoon!.Select(r => r.GetProperty("id").GetGuid()));
    }

    private async Task<Guid> CreateAsync(object body)
    {
        using var response = await platform.Gateway.PostAsJsonAsync("/api/requests", body);
        await AssertStatusAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
