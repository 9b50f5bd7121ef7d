using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Procexon.Testing;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// DESIGN §12 through the gateway, every channel at once: a subject disclosed to the accounting firm (AMQP), the IT
/// company that keeps the website (webhook) and the auditor (e-mail) is erased; the processors confirm by themselves, the
/// auditor by following the link in the mail the SMTP server received, and the request completes with all three confirmed.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class EmailRecipientTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_completion = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Erasure_reaches_amqp_webhook_and_email_recipients_and_the_auditor_confirms_by_the_mailed_link()
    {
        var gateway = platform.Gateway;
        var email = $"email-channel-{Guid.NewGuid():N}@example.fi";
        var subjectId = await gateway.CreateSubjectAsync(new { name = "Sanna Sähköposti", email });
        await gateway.AddRecordAsync("customers", subjectId, "basic-data", new() { ["title"] = "Asiakas" });

        foreach (var recipient in new[] { "accounting-firm", "website-it-company", "auditor" })
        {
            using var disclosed = await gateway.PostAsJsonAsync("/api/disclosures",
                new { recipientId = recipient, subjectId, categories = new[] { "basic-data" }, legalBasis = "contract", subject = new { email } });
            await AssertStatusAsync(disclosed, HttpStatusCode.Created);
        }

        using var websiteCompany = new HttpClient { BaseAddress = platform.App.GetEndpoint("website-company", "http") };
        Assert.True(await EventuallyAsync(async () =>
        {
            using var count = await GetJsonAsync(websiteCompany, $"/records/count?subject={subjectId}");
            return count.RootElement.GetProperty("records").GetInt32() == 1;
        }, TimeSpan.FromSeconds(30)), "The website company never received its copy of the disclosed data by webhook.");

        using var received = await gateway.PostAsJsonAsync("/api/requests", new { type = "erasure", subject = new { email }, channel = "email" });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;
        var requestId = requestPath.Split('/')[^1];
        using (var verified = await gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-id-document" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        // The auditor's mail, as the SMTP server kept it: the link is the gateway's public address and a one-time token.
        ReceivedMail? mail = null;
        Assert.True(await EventuallyAsync(() => Task.FromResult(
            (mail = platform.Mail.All().FirstOrDefault(m => m.Recipients.Contains("tilintarkastaja@auditor.example") && m.Body.Contains(requestId, StringComparison.Ordinal))) is not null),
            TimeSpan.FromSeconds(60)), $"No mail to the auditor for request {requestId} in {platform.Mail.Directory}.");
        Assert.DoesNotContain(email, mail!.Body, StringComparison.OrdinalIgnoreCase);
        var link = Link().Match(mail.Body);
        Assert.True(link.Success, "The auditor's mail has a confirmation link.");
        var path = new Uri(link.Value).PathAndQuery;

        // Opening the link only shows the button; the button confirms, anonymously, through the gateway. The link works
        // the moment the mail is in the mailbox: its token is derived from the notice, nothing waits to be stored.
        using (var page = await platform.Anonymous.GetAsync(new Uri(path, UriKind.Relative)))
        {
            await AssertStatusAsync(page, HttpStatusCode.OK);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }

        using (var confirmed = await platform.Anonymous.PostAsync(new Uri(path.Split('?')[0], UriKind.Relative),
            new FormUrlEncodedContent([new KeyValuePair<string, string>("token", link.Groups["token"].Value)])))
        {
            await AssertStatusAsync(confirmed, HttpStatusCode.OK);
        }

        using var status = await gateway.WaitForCompletionAsync(requestPath, s_completion);
        var recipients = status.RootElement.GetProperty("recipients").EnumerateArray().ToDictionary(r => r.GetProperty("recipient").GetString()!);
        Assert.Equal(["accounting-firm", "auditor", "website-it-company"], recipients.Keys.Order(StringComparer.Ordinal));
        Assert.All(recipients.Values, r =>
        {
            Assert.Equal("confirmed", r.GetProperty("status").GetString());
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, r.GetProperty("confirmedAt").ValueKind);
        });

        using var notices = await GetJsonAsync(gateway, $"/api/disclosures/notifications?request={requestId}");
        var auditorNotice = notices.RootElement.EnumerateArray().Single(n => n.GetProperty("recipient").GetString() == "auditor");
        Assert.Equal("email link", auditorNotice.GetProperty("confirmedBy").GetString());
    }

    [GeneratedRegex(@"https?://\S+/api/disclosures/notifications/[0-9a-f-]{36}/confirmation-link\?token=(?<token>[A-Za-z0-9_-]+)")]
    private static partial Regex Link();
}
