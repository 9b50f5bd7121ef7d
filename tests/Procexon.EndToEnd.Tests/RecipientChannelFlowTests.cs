using System.Net;
using System.Net.Http.Json;
using Procexon.Testing;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// DESIGN §12 through the gateway: a privacy officer moves a recipient confirmed by staff to the e-mail channel, and the
/// next notice to it arrives by mail at the SMTP server; the change is in the recipient's history under the officer.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RecipientChannelFlowTests(PlatformFixture platform)
{
    // Seeded on the staff channel, and told of erasures; no other end-to-end test uses it.
    private const string Recipient = "transport-company";

    [Fact]
    public async Task Privacy_officer_moves_a_staff_recipient_to_email_and_its_next_erasure_notice_is_mailed()
    {
        var officer = await platform.GatewayAs("privacy-officer");
        var address = $"kuljetus-{Guid.NewGuid():N}@transport.example";
        try
        {
            using (var set = await officer.PutAsJsonAsync($"/api/recipients/{Recipient}/channel", new { channel = "email", emailAddress = address }))
            {
                await AssertStatusAsync(set, HttpStatusCode.OK);
            }

            using (var recipient = await GetJsonAsync(officer, $"/api/recipients/{Recipient}"))
            {
                Assert.Equal("email", recipient.RootElement.GetProperty("channel").GetString());
            }

            var email = $"channel-flow-{Guid.NewGuid():N}@example.fi";
            var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Kalle Kuljetus", email });
            await platform.Gateway.AddRecordAsync("customers", subjectId, "basic-data", new() { ["title"] = "Asiakas" });
            using (var disclosed = await platform.Gateway.PostAsJsonAsync("/api/disclosures",
                new { recipientId = Recipient, subjectId, categories = new[] { "basic-data" }, legalBasis = "contract", subject = new { email } }))
            {
                await AssertStatusAsync(disclosed, HttpStatusCode.Created);
            }

            using var received = await platform.Gateway.PostAsJsonAsync("/api/requests", new { type = "erasure", subject = new { email }, channel = "email" });
            await AssertStatusAsync(received, HttpStatusCode.Created);
            var requestPath = received.Headers.Location!.OriginalString;
            var requestId = requestPath.Split('/')[^1];
            using (var verified = await platform.Gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-id-document" }))
            {
                await AssertStatusAsync(verified, HttpStatusCode.OK);
            }

            ReceivedMail? mail = null;
            Assert.True(await Eventually.EventuallyAsync(() => Task.FromResult(
                (mail = platform.Mail.All().FirstOrDefault(m => m.Recipients.Contains(address) && m.Body.Contains(requestId, StringComparison.Ordinal))) is not null),
                TimeSpan.FromSeconds(90)), $"No mail to the transport company for request {requestId} in {platform.Mail.Directory}.");
            Assert.Contains("/confirmation-link?token=", mail!.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(email, mail.Body, StringComparison.OrdinalIgnoreCase);

            using var changes = await GetJsonAsync(officer, $"/api/recipients/{Recipient}/channel-changes");
            var latest = changes.RootElement.EnumerateArray().First();
            Assert.Equal(("channel-set", "email", true), (latest.GetProperty("kind").GetString(), latest.GetProperty("channel").GetString(), latest.GetProperty("emailAddressSet").GetBoolean()));
            Assert.DoesNotContain(address, changes.RootElement.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            using var back = await officer.PutAsJsonAsync($"/api/recipients/{Recipient}/channel", new { channel = "staff" });
            await AssertStatusAsync(back, HttpStatusCode.OK);
        }
    }
}
