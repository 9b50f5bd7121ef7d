using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// DESIGN §12 through the gateway: a subject disclosed to the accounting firm (AMQP, .NET) and to the IT company that
/// keeps the website (signed CloudEvents webhooks, Node.js) is erased; each processor erases its copy and confirms by
/// itself, and the request completes.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookRecipientTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_completion = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Erasure_reaches_the_amqp_and_the_webhook_processor_and_both_confirm_by_themselves()
    {
        var gateway = platform.Gateway;
        var email = $"webhook-{Guid.NewGuid():N}@example.fi";
        var subjectId = await gateway.CreateSubjectAsync(new { name = "Veikko Verkkonen", email });
        await gateway.AddRecordAsync("customers", subjectId, "basic-data", new() { ["title"] = "Asiakas" });
        await gateway.AddRecordAsync("web-users", subjectId, "credentials", new() { ["username"] = "veikko" });

        foreach (var (recipient, categories) in new[] { ("accounting-firm", new[] { "basic-data" }), ("website-it-company", ["basic-data", "credentials"]) })
        {
            using var disclosed = await gateway.PostAsJsonAsync("/api/disclosures", new { recipientId = recipient, subjectId, categories, legalBasis = "contract", subject = new { email } });
            await AssertStatusAsync(disclosed, HttpStatusCode.Created);
        }

        var accountingFirm = platform.ServiceAsStaff("accounting-firm");
        using var websiteCompany = new HttpClient { BaseAddress = platform.App.GetEndpoint("website-company", "http") };
        Assert.True(await EventuallyAsync(async () => (await GetJsonAsync(accountingFirm, $"/api/client-records?subject={subjectId}")).RootElement.GetArrayLength() > 0,
            TimeSpan.FromSeconds(30)), "The accounting firm never received its copy of the disclosed data.");
        Assert.True(await EventuallyAsync(async () => await WebsiteRecordsAsync(websiteCompany, subjectId) == 1, TimeSpan.FromSeconds(30)),
            "The website company never received its copy of the disclosed data by webhook.");

        using var received = await gateway.PostAsJsonAsync("/api/requests", new { type = "erasure", subject = new { email }, channel = "email" });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;
        using (var verified = await gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-id-document" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        using var status = await gateway.WaitForCompletionAsync(requestPath, s_completion);
        var recipients = status.RootElement.GetProperty("recipients").EnumerateArray().ToDictionary(r => r.GetProperty("recipient").GetString()!);
        Assert.Equal(["accounting-firm", "website-it-company"], recipients.Keys.Order(StringComparer.Ordinal));
        Assert.All(recipients.Values, r => Assert.Equal("confirmed", r.GetProperty("status").GetString()));

        // Each confirmed by itself, with its own token: the confirmation names the processor, not a member of staff.
        var requestId = requestPath.Split('/')[^1];
        using var notices = await GetJsonAsync(gateway, $"/api/disclosures/notifications?request={requestId}");
        var websiteNotice = notices.RootElement.EnumerateArray().Single(n => n.GetProperty("recipient").GetString() == "website-it-company");
        Assert.Contains("dev-processor-website-it-company", websiteNotice.GetProperty("confirmedBy").GetString(), StringComparison.Ordinal);
        Assert.Equal("Erased 1 records", websiteNotice.GetProperty("detail").GetString());

        Assert.Equal(0, await WebsiteRecordsAsync(websiteCompany, subjectId));
        using (var copy = await GetJsonAsync(accountingFirm, $"/api/client-records?subject={subjectId}"))
        {
            Assert.Equal(0, copy.RootElement.GetArrayLength());
        }
    }

    [Fact]
    public async Task Webhook_event_schemas_are_public_at_the_gateway()
    {
        using var list = await platform.Anonymous.GetAsync(new Uri("/api/webhooks/schemas", UriKind.Relative));
        await AssertStatusAsync(list, HttpStatusCode.OK);
        using var schema = await platform.Anonymous.GetAsync(new Uri("/api/webhooks/schemas/fi.procexon.notice.erasure.v1", UriKind.Relative));
        await AssertStatusAsync(schema, HttpStatusCode.OK);
        Assert.Equal("application/schema+json", schema.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await schema.Content.ReadAsStringAsync());
        Assert.Equal("fi.procexon.notice.erasure.v1", json.RootElement.GetProperty("properties").GetProperty("type").GetProperty("const").GetString());
        using var unknown = await platform.Anonymous.GetAsync(new Uri("/api/webhooks/schemas/fi.procexon.nothing.v1", UriKind.Relative));
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "fi.procexon.nothing.v1");
    }

    private static async Task<int> WebsiteRecordsAsync(HttpClient websiteCompany, Guid subjectId)
    {
        using var count = await GetJsonAsync(websiteCompany, $"/records/count?subject={subjectId}");
        return count.RootElement.GetProperty("records").GetInt32();
    }
}
