using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// Art 19 for an upheld objection (Art 21(1)), through the gateway: its restriction of the processing under legitimate
/// interest is told to the accounting firm (AMQP, .NET), which received the subject's data on that basis, as a restriction
/// notice; the firm marks its copy restricted and confirms, and only then is the request completed, its answer listing
/// the firm confirmed. Lifted, the firm is told and releases its copy.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ObjectionNoticeFlowTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_completion = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task An_upheld_objection_restricts_at_the_accounting_firm_which_confirms_before_the_request_completes_and_is_told_of_the_lifting()
    {
        var gateway = platform.Gateway;
        var email = $"objection-notice-{Guid.NewGuid():N}@example.fi";
        var subjectId = await gateway.CreateSubjectAsync(new { name = "Veikko Vastustaja", email });
        var contact = await gateway.AddRecordAsync("contacts", subjectId, "basic-data", new() { ["channel"] = "phone" });
        using (var disclosed = await gateway.PostAsJsonAsync("/api/disclosures",
            new { recipientId = "accounting-firm", subjectId, categories = new[] { "basic-data" }, legalBasis = "legitimate-interest", subject = new { email } }))
        {
            await AssertStatusAsync(disclosed, HttpStatusCode.Created);
        }

        var accountingFirm = platform.ServiceAsStaff("accounting-firm");
        Assert.True(await EventuallyAsync(async () => (await FirmCopiesAsync(accountingFirm, subjectId)).Count == 1, TimeSpan.FromSeconds(30)),
            "The accounting firm never received its copy of the disclosed data.");

        using var received = await gateway.PostAsJsonAsync("/api/requests",
            new { type = "objection", subject = new { email }, channel = "letter", objection = "legitimate-interest" });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;
        var requestId = requestPath.Split('/')[^1];
        using (var verified = await gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-id-document" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        using (var decided = await gateway.PostAsJsonAsync($"{requestPath}/objection-decision",
            new { upheld = true, reason = "No compelling legitimate grounds override the subject's interests." }))
        {
            await AssertStatusAsync(decided, HttpStatusCode.OK);
        }

        // Completed only once the firm confirmed the restriction.
        using (var status = await gateway.WaitForCompletionAsync(requestPath, s_completion))
        {
            var recipient = Assert.Single(status.RootElement.GetProperty("recipients").EnumerateArray());
            Assert.Equal(("accounting-firm", "confirmed"), (recipient.GetProperty("recipient").GetString(), recipient.GetProperty("status").GetString()));
        }

        using (var record = await GetJsonAsync(gateway, $"/api/registers/contacts/records/{contact}"))
        {
            Assert.Equal("restricted", record.RootElement.GetProperty("state").GetString());
        }

        using (var answer = await GetJsonAsync(gateway, $"{requestPath}/answer?lang=en"))
        {
            var listed = Assert.Single(answer.RootElement.GetProperty("recipients").EnumerateArray());
            Assert.Equal("accounting-firm", listed.GetProperty("recipient").GetString());
            Assert.Equal(JsonValueKind.String, listed.GetProperty("confirmedAt").ValueKind);
            Assert.Contains("of the restriction (Article 19)", answer.RootElement.GetProperty("text").GetString()!, StringComparison.Ordinal);
        }

        await AssertConfirmedByTheFirmAsync(requestId, "restriction", "Restricted 1 records");
        Assert.NotNull((await FirmCopiesAsync(accountingFirm, subjectId)).Single());

        using (var lifting = await gateway.PostAsJsonAsync($"{requestPath}/restriction-lifting", new { reason = "The subject withdrew the objection." }))
        {
            await AssertStatusAsync(lifting, HttpStatusCode.OK);
        }

        JsonDocument? state = null;
        Assert.True(await EventuallyAsync(async () =>
        {
            state?.Dispose();
            state = await GetJsonAsync(gateway, $"{requestPath}/restriction-lifting");
            return state.RootElement.GetProperty("recipients").EnumerateArray().Any(r => r.GetProperty("confirmedAt").ValueKind == JsonValueKind.String);
        }, s_completion), $"The firm never confirmed the lifting: {state?.RootElement.GetRawText()}");
        using (state)
        {
            Assert.Equal("accounting-firm", Assert.Single(state!.RootElement.GetProperty("recipients").EnumerateArray()).GetProperty("recipient").GetString());
        }

        await AssertConfirmedByTheFirmAsync(requestId, "restriction-lifted", "Released 1 records");
        Assert.Null((await FirmCopiesAsync(accountingFirm, subjectId)).Single());
    }

    /// <summary>The one notice of the kind went to the firm and was confirmed by the firm itself, with what it said it did.</summary>
    private async Task AssertConfirmedByTheFirmAsync(string requestId, string kind, string detail)
    {
        using var notices = await GetJsonAsync(platform.Gateway, $"/api/restriction-notifications?request={requestId}");
        var notice = Assert.Single(notices.RootElement.EnumerateArray(), n => n.GetProperty("kind").GetString() == kind);
        Assert.Equal(("accounting-firm", "confirmed", detail, "accounting-firm"),
            (notice.GetProperty("recipient").GetString(), notice.GetProperty("status").GetString(), notice.GetProperty("detail").GetString(),
                notice.GetProperty("confirmedBy").GetString()));
    }

    /// <summary>The firm's copies of the subject, each as when it was restricted (null when not restricted).</summary>
    private static async Task<List<DateTimeOffset?>> FirmCopiesAsync(HttpClient accountingFirm, Guid subjectId)
    {
        using var copies = await GetJsonAsync(accountingFirm, $"/api/client-records?subject={subjectId}");
        return [.. copies.RootElement.EnumerateArray().Select(c => c.GetProperty("restrictedAt") is { ValueKind: JsonValueKind.String } at ? at.GetDateTimeOffset() : (DateTimeOffset?)null)];
    }
}
