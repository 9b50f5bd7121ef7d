using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// A rectification whose subject's data went to Finago, which has no automated channel (GDPR Art 19): the request waits
/// for Finago until staff record its confirmation through the gateway, then completes.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RectificationStaffConfirmationTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Rectification_disclosed_to_finago_stays_in_progress_until_staff_confirm_finago_corrected_it()
    {
        var email = $"finago-{Guid.NewGuid():N}@example.fi";
        var subjectId = await CreatedIdAsync("/api/subjects", new { name = "Tiina Tilitoimisto", email });
        await CreatedIdAsync("/api/registers/customers/records", new
        {
            subjectId,
            category = "basic-data",
            fields = new Dictionary<string, string> { ["address"] = "Vanhatie 1, Turku" },
        });
        await CreatedIdAsync("/api/disclosures", new { recipientId = "finago", subjectId, categories = new[] { "basic-data" }, legalBasis = "contract" });

        using var received = await platform.Gateway.PostAsJsonAsync("/api/requests", new
        {
            type = "rectification",
            subject = new { email },
            channel = "email",
            corrections = new[] { new { field = "address", value = "Uusitie 2, Lieto" } },
        });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;
        var requestId = Guid.Parse(requestPath[(requestPath.LastIndexOf('/') + 1)..]);
        using (var verified = await platform.Gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-known-contact" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        // Every register has answered and Finago has been told: only Finago's word is missing.
        Assert.True(await EventuallyAsync(async () =>
        {
            using var status = await GetJsonAsync(requestPath);
            var root = status.RootElement;
            return root.GetProperty("recipientsResolvedAt").ValueKind != JsonValueKind.Null
                && root.GetProperty("registers").GetArrayLength() > 0
                && root.GetProperty("registers").EnumerateArray().All(r => r.GetProperty("outcome").GetString() != "pending");
        }, s_settle), "The registers and the recipients were not resolved.");
        await Task.Delay(TimeSpan.FromSeconds(3));
        using (var waiting = await GetJsonAsync(requestPath))
        {
            Assert.Equal("in-progress", waiting.RootElement.GetProperty("status").GetString());
            var finago = Assert.Single(waiting.RootElement.GetProperty("recipients").EnumerateArray());
            Assert.Equal("finago", finago.GetProperty("recipient").GetString());
            Assert.Equal("notified", finago.GetProperty("status").GetString());
        }

        Guid noticeId;
        using (var notices = await GetJsonAsync($"/api/rectification-notifications?request={requestId}"))
        {
            var notice = Assert.Single(notices.RootElement.EnumerateArray());
            Assert.Equal("finago", notice.GetProperty("recipient").GetString());
            Assert.Equal("notified", notice.GetProperty("status").GetString());
            Assert.Equal(["address"], notice.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
            noticeId = notice.GetProperty("id").GetGuid();
        }

        var confirmation = $"/api/rectification-notifications/{noticeId}/confirmation";
        // Only a privacy officer confirms by hand; an auditor reads and never acts.
        var auditor = await platform.GatewayAs("auditor");
        using (var refused = await auditor.PostAsJsonAsync(confirmation, new { detail = "Finago phoned" }))
        {
            await AssertStatusAsync(refused, HttpStatusCode.Forbidden);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // A name typed into the body is not who confirmed: the token says who did.
        using (var confirmed = await platform.Gateway.PostAsJsonAsync(confirmation, new { confirmedBy = "Liisa (customer service)", detail = "Finago corrected the address, by phone" }))
        {
            await AssertStatusAsync(confirmed, HttpStatusCode.OK);
            using var notice = JsonDocument.Parse(await confirmed.Content.ReadAsStringAsync());
            Assert.Equal("End-to-end staff (e2e-staff)", notice.RootElement.GetProperty("confirmedBy").GetString());
        }

        using (var again = await platform.Gateway.PostAsJsonAsync(confirmation, new { detail = "again" }))
        {
            await AssertStatusAsync(again, HttpStatusCode.Conflict);
        }

        JsonDocument? completed = null;
        Assert.True(await EventuallyAsync(async () =>
        {
            completed?.Dispose();
            completed = await GetJsonAsync(requestPath);
            return completed.RootElement.GetProperty("status").GetString() == "completed";
        }, s_settle), $"The request did not complete after the staff confirmation: {completed?.RootElement.GetRawText()}");
        using (completed)
        {
            Assert.Equal("confirmed", Assert.Single(completed!.RootElement.GetProperty("recipients").EnumerateArray()).GetProperty("status").GetString());
            var customers = completed.RootElement.GetProperty("registers").EnumerateArray().Single(r => r.GetProperty("register").GetString() == "customers");
            Assert.Equal(1, customers.GetProperty("recordsAffected").GetInt32());
            Assert.Equal(JsonValueKind.Null, customers.GetProperty("recordsErased").ValueKind);
        }
    }

    private async Task<Guid> CreatedIdAsync(string path, object body)
    {
        using var response = await platform.Gateway.PostAsJsonAsync(path, body);
        await AssertStatusAsync(response, HttpStatusCode.Created);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return created.RootElement.GetProperty("id").GetGuid();
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await platform.Gateway.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

}
