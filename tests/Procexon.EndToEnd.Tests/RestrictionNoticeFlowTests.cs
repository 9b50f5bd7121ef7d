using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// Art 19 for a restriction and its lifting, through the gateway: a subject disclosed to the accounting firm (AMQP, .NET)
/// and to the website company (signed CloudEvents webhooks, Node.js) asks for restriction; both mark their copies
/// restricted and confirm by themselves, and the answer lists them; the privacy officer lifts the restriction, and both
/// are told, release their copies and confirm again.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RestrictionNoticeFlowTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_completion = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Restriction_and_its_lifting_reach_the_amqp_and_the_webhook_processor_and_both_confirm_each_by_themselves()
    {
        var gateway = platform.Gateway;
        var email = $"restriction-notice-{Guid.NewGuid():N}@example.fi";
        var subjectId = await gateway.CreateSubjectAsync(new { name = "Raili Rajoittaja", email });
        await gateway.AddRecordAsync("customers", subjectId, "basic-data", new() { ["title"] = "Asiakas" });
        foreach (var recipient in new[] { "accounting-firm", "website-it-company" })
        {
            using var disclosed = await gateway.PostAsJsonAsync("/api/disclosures",
                new { recipientId = recipient, subjectId, categories = new[] { "basic-data" }, legalBasis = "contract", subject = new { email } });
            await AssertStatusAsync(disclosed, HttpStatusCode.Created);
        }

        var accountingFirm = platform.ServiceAsStaff("accounting-firm");
        using var websiteCompany = new HttpClient { BaseAddress = platform.App.GetEndpoint("website-company", "http") };
        Assert.True(await EventuallyAsync(async () => (await FirmCopiesAsync(accountingFirm, subjectId)).Count == 1, TimeSpan.FromSeconds(30)),
            "The accounting firm never received its copy of the disclosed data.");
        Assert.True(await EventuallyAsync(async () => (await WebsiteRecordsAsync(websiteCompany, subjectId)).Records == 1, TimeSpan.FromSeconds(30)),
            "The website company never received its copy of the disclosed data by webhook.");

        using var received = await gateway.PostAsJsonAsync("/api/requests", new { type = "restriction", subject = new { email }, channel = "letter" });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;
        var requestId = requestPath.Split('/')[^1];
        using (var verified = await gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-id-document" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        // Completed only once both processors confirmed the restriction.
        using (var status = await gateway.WaitForCompletionAsync(requestPath, s_completion))
        {
            var recipients = status.RootElement.GetProperty("recipients").EnumerateArray().ToDictionary(r => r.GetProperty("recipient").GetString()!);
            Assert.Equal(["accounting-firm", "website-it-company"], recipients.Keys.Order(StringComparer.Ordinal));
            Assert.All(recipients.Values, r => Assert.Equal("confirmed", r.GetProperty("status").GetString()));
        }

        using (var answer = await GetJsonAsync(gateway, $"{requestPath}/answer?lang=en"))
        {
            var listed = answer.RootElement.GetProperty("recipients").EnumerateArray().ToList();
            Assert.Equal(["accounting-firm", "website-it-company"], listed.Select(r => r.GetProperty("recipient").GetString()));
            Assert.All(listed, r => Assert.Equal(JsonValueKind.String, r.GetProperty("confirmedAt").ValueKind));
            Assert.Contains("of the restriction (Article 19)", answer.RootElement.GetProperty("text").GetString()!, StringComparison.Ordinal);
        }

        await AssertConfirmedByThemselvesAsync(requestId, "restriction", "Restricted 1 records");
        Assert.NotNull((await FirmCopiesAsync(accountingFirm, subjectId)).Single());
        Assert.Equal((1, 1), await WebsiteRecordsAsync(websiteCompany, subjectId));

        using (var lifting = await gateway.PostAsJsonAsync($"{requestPath}/restriction-lifting", new { reason = "The accuracy of the data has been verified." }))
        {
            await AssertStatusAsync(lifting, HttpStatusCode.OK);
        }

        JsonDocument? state = null;
        Assert.True(await EventuallyAsync(async () =>
        {
            state?.Dispose();
            state = await GetJsonAsync(gateway, $"{requestPath}/restriction-lifting");
            return state.RootElement.GetProperty("recipients").EnumerateArray().Count(r => r.GetProperty("confirmedAt").ValueKind == JsonValueKind.String) == 2;
        }, s_completion), $"The recipients never confirmed the lifting: {state?.RootElement.GetRawText()}");
        using (state)
        {
            Assert.Equal(["accounting-firm", "website-it-company"],
                state!.RootElement.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("recipient").GetString()));
            Assert.True(state.RootElement.GetProperty("liftedAt").GetDateTimeOffset() <= state.RootElement.GetProperty("recipientsNotifiedAt").GetDateTimeOffset());
        }

        await AssertConfirmedByThemselvesAsync(requestId, "restriction-lifted", "Released 1 records");
        Assert.Null((await FirmCopiesAsync(accountingFirm, subjectId)).Single());
        Assert.Equal((1, 0), await WebsiteRecordsAsync(websiteCompany, subjectId));

        using var trail = await GetJsonAsync(gateway, $"{requestPath}/audit");
        var actions = trail.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("restriction-lifting-decided", actions);
        Assert.Contains("recipients-notified", actions);
        Assert.Equal(2, actions.Count(a => a == "recipient-confirmed"));
    }

    /// <summary>Each notice of the kind was confirmed by its processor's own client, with what it said it did.</summary>
    private async Task AssertConfirmedByThemselvesAsync(string requestId, string kind, string detail)
    {
        using var notices = await GetJsonAsync(platform.Gateway, $"/api/restriction-notifications?request={requestId}");
        var ofKind = notices.RootElement.EnumerateArray().Where(n => n.GetProperty("kind").GetString() == kind)
            .ToDictionary(n => n.GetProperty("recipient").GetString()!);
        Assert.Equal(["accounting-firm", "website-it-company"], ofKind.Keys.Order(StringComparer.Ordinal));
        Assert.All(ofKind.Values, n => Assert.Equal(("confirmed", detail), (n.GetProperty("status").GetString(), n.GetProperty("detail").GetString())));
        Assert.Equal("accounting-firm", ofKind["accounting-firm"].GetProperty("confirmedBy").GetString());
        Assert.Contains("dev-processor-website-it-company", ofKind["website-it-company"].GetProperty("confirmedBy").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The firm's copies of the subject, each as when it was restricted (null when not restricted).</summary>
    private static async Task<List<DateTimeOffset?>> FirmCopiesAsync(HttpClient accountingFirm, Guid subjectId)
    {
        using var copies = await GetJsonAsync(accountingFirm, $"/api/client-records?subject={subjectId}");
        return [.. copies.RootElement.EnumerateArray().Select(c => c.GetProperty("restrictedAt") is { ValueKind: JsonValueKind.String } at ? at.GetDateTimeOffset() : (DateTimeOffset?)null)];
    }

    private static async Task<(int Records, int Restricted)> WebsiteRecordsAsync(HttpClient websiteCompany, Guid subjectId)
    {
        using var count = await GetJsonAsync(websiteCompany, $"/records/count?subject={subjectId}");
        return (count.RootElement.GetProperty("records").GetInt32(), count.RootElement.GetProperty("restricted").GetInt32());
    }
}
