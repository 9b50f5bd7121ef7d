using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// A one-time code proves control of one e-mail address and nothing else. A requester who verifies their own address
/// but names someone else's identity code, phone or customer number must reach nobody else's data: not in an access
/// export, not in an erasure, not in a rectification.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class VerifiedIdentifiersTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_completion = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Own_e_mail_verified_by_code_with_someone_elses_identifiers_reaches_nobody_else()
    {
        var victimEmail = $"victim-{Guid.NewGuid():N}@example.fi";
        var hetu = LogLeaks.RandomHetu();
        var phone = $"040 {Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture)}";
        var customerNumber = $"C-{Guid.NewGuid():N}"[..14];
        var victim = await platform.Gateway.CreateSubjectAsync(new { name = "Ville Uhri", email = victimEmail, hetu, phone, customerNumber });
        await platform.Gateway.AddRecordAsync("customers", victim, "customer-contract", new() { ["order"] = "Tilaus 77" });
        await platform.Gateway.AddRecordAsync("contacts", victim, "basic-data", new() { ["channel"] = "phone" });

        var attacker = $"attacker-{Guid.NewGuid():N}@example.fi";
        var access = await CodeVerifiedRequestAsync(new { type = "access", subject = new { email = attacker, hetu }, channel = "web-form" });
        var erasure = await CodeVerifiedRequestAsync(new { type = "erasure", subject = new { email = attacker, phone }, channel = "web-form" });
        var rectification = await CodeVerifiedRequestAsync(new
        {
            type = "rectification",
            subject = new { email = attacker, customerNumber },
            channel = "web-form",
            corrections = new[] { new { field = "name", value = "Hyökkääjän Nimi" } },
        });

        foreach (var path in new[] { access, erasure, rectification })
        {
            using var status = await platform.Gateway.WaitForCompletionAsync(path, s_completion);
            Assert.Equal(["email"], status.RootElement.GetProperty("verification").GetProperty("identifiers").EnumerateArray().Select(i => i.GetString()));
            Assert.All(status.RootElement.GetProperty("registers").EnumerateArray(), r => Assert.Equal("not-held", r.GetProperty("outcome").GetString()));
        }

        using (var answer = await GetJsonAsync($"{access}/answer?lang=en"))
        {
            Assert.False(answer.RootElement.GetProperty("holdsData").GetBoolean());
            Assert.DoesNotContain("Ville", answer.RootElement.GetRawText(), StringComparison.Ordinal);
        }

        using (var export = await platform.Gateway.GetAsync(new Uri($"{access}/export?format=json", UriKind.Relative)))
        {
            var body = await export.Content.ReadAsStringAsync();
            Assert.DoesNotContain(victimEmail, body, StringComparison.Ordinal);
            Assert.DoesNotContain("Tilaus 77", body, StringComparison.Ordinal);
        }

        using var subject = await GetJsonAsync($"/api/subjects/{victim}");
        Assert.Equal("Ville Uhri", subject.RootElement.GetProperty("name").GetString());
        using var records = await GetJsonAsync($"/api/subjects/{victim}/records");
        var states = records.RootElement.GetProperty("registers").EnumerateArray()
            .SelectMany(r => r.GetProperty("records").EnumerateArray()).Select(r => r.GetProperty("state").GetString()).ToList();
        Assert.Equal(["active", "active"], states);
    }

    [Fact]
    public async Task Staff_say_which_identifiers_they_checked_and_only_those_find_the_subject()
    {
        var email = $"checked-{Guid.NewGuid():N}@example.fi";
        var hetu = LogLeaks.RandomHetu();
        var other = await platform.Gateway.CreateSubjectAsync(new { name = "Toinen Henkilö", hetu });
        await platform.Gateway.AddRecordAsync("customers", other, "basic-data", new() { ["title"] = "Ostaja" });

        using var received = await platform.Gateway.PostAsJsonAsync("/api/requests", new { type = "access", subject = new { email, hetu }, channel = "letter", receivedOn = Today() });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var path = received.Headers.Location!.OriginalString;

        using (var notGiven = await platform.Gateway.PostAsJsonAsync($"{path}/verification", new { method = "staff-id-document", identifiers = new[] { "phone" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notGiven.StatusCode);
            Assert.Equal("application/problem+json", notGiven.Content.Headers.ContentType?.MediaType);
            Assert.Contains("identifiers", await notGiven.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var verified = await platform.Gateway.PostAsJsonAsync($"{path}/verification", new { method = "staff-id-document", identifiers = new[] { "email" } }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        using var status = await platform.Gateway.WaitForCompletionAsync(path, s_completion);
        Assert.All(status.RootElement.GetProperty("registers").EnumerateArray(), r => Assert.Equal("not-held", r.GetProperty("outcome").GetString()));
        using var trail = await GetJsonAsync($"{path}/audit");
        Assert.Contains(trail.RootElement.GetProperty("entries").EnumerateArray(), e => e.GetProperty("detail").GetString() == "identifiers verified: email");
    }

    private static string Today() => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki"))
        .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<string> CodeVerifiedRequestAsync(object request)
    {
        using var received = await platform.Gateway.PostAsJsonAsync("/api/requests", request);
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var path = received.Headers.Location!.OriginalString;
        var id = path[(path.LastIndexOf('/') + 1)..];
        using (var sent = await platform.Gateway.PostAsync(new Uri($"{path}/verification-code", UriKind.Relative), null))
        {
            await AssertStatusAsync(sent, HttpStatusCode.OK);
        }

        var code = Assert.Single(await platform.Mail.WaitForAsync(Guid.Parse(id))).Code;
        using var verified = await platform.Gateway.PostAsJsonAsync($"{path}/verification", new { method = "one-time-code", code });
        await AssertStatusAsync(verified, HttpStatusCode.OK);
        return path;
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await platform.Gateway.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }
}
