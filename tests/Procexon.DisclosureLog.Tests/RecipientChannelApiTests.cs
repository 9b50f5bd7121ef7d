using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.DisclosureLog.Model;
using Procexon.ServiceDefaults.Security;

namespace Procexon.DisclosureLog.Tests;

/// <summary>
/// A privacy officer sets how a recipient is reached, through HTTP with the identity provider's tokens. Each test puts
/// the recipient back on the staff channel it was seeded with, as the collection's other tests expect.
/// </summary>
[Collection(DisclosureLogCollection.Name)]
public sealed class RecipientChannelApiTests(DisclosureLogFixture fixture)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Privacy_officer_sets_a_webhook_channel_and_is_shown_its_secret_once_which_is_stored_encrypted()
    {
        const string recipient = "finago";
        using var officer = fixture.DisclosureLogClient(PlatformRoles.PrivacyOfficer);
        try
        {
            using var response = await officer.PutAsJsonAsync(ChannelOf(recipient), new { channel = "webhook", webhookUrl = "https://hooks.finago.example/procexon" });

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, "an answer carrying a secret is not stored");
            var set = (await response.Content.ReadFromJsonAsync<RecipientChannelDto>(s_json))!;
            Assert.Equal((RecipientChannels.Webhook, "https://hooks.finago.example/procexon"), (set.Channel, set.WebhookUrl));
            var secret = set.WebhookSecret!;
            Assert.True(WebhookSecrets.IsSecret(secret), "a Standard Webhooks secret");
            Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
            Assert.False(string.IsNullOrWhiteSpace(set.ChannelSetBy));

            // No read shows it again: the recipient, the list, the change history.
            foreach (var path in new[] { $"/api/recipients/{recipient}", "/api/recipients", $"/api/recipients/{recipient}/channel-changes" })
            {
                var body = await officer.GetStringAsync(new Uri(path, UriKind.Relative));
                Assert.DoesNotContain(secret["whsec_".Length..], body, StringComparison.Ordinal);
            }

            // At rest only its ciphertext, which the service's key opens to the secret that was shown.
            var stored = await fixture.InDisclosureLogAsync((db, _) => db.Database
                .SqlQuery<byte[]>($"SELECT webhook_secret_encrypted AS \"Value\" FROM recipients WHERE slug = {recipient}").SingleAsync());
            Assert.DoesNotContain(secret["whsec_".Length..], Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
            Assert.Equal(-1, stored.AsSpan().IndexOf(Convert.FromBase64String(secret["whsec_".Length..]).AsSpan(0, 8)));
            var protection = fixture.DisclosureLog.Services.GetRequiredService<DisclosureLogProtection>();
            Assert.Equal(secret, protection.Decrypt(DisclosureLogContext.RecipientsTable, "webhook_secret_encrypted", stored));

            // Who changed what and when.
            var changes = (await officer.GetFromJsonAsync<List<RecipientChannelChangeDto>>(new Uri($"/api/recipients/{recipient}/channel-changes", UriKind.Relative), s_json))!;
            var change = changes[0];
            Assert.Equal((RecipientChannelChangeKinds.ChannelSet, RecipientChannels.Webhook, true, set.ChannelSetBy!),
                (change.Kind, change.Channel, change.NewWebhookSecret, change.ChangedBy));
            Assert.Equal("https://hooks.finago.example/procexon", change.WebhookUrl);

            // The next disclosure to it is a webhook event pointing at its published schema.
            var disclosed = await fixture.InDisclosureLogAsync((db, outbox) => DisclosuresApi.RecordDisclosure(
                new RecordDisclosureBody(recipient, Guid.CreateVersion7().ToString(), ["basic-data"], "contract", null), db, outbox, fixture.Schemas, fixture.Clock, default));
            var disclosureId = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Created<DisclosureDto>>(disclosed.Result).Value!.Id;
            var delivery = await fixture.InDisclosureLogAsync((db, _) => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == disclosureId));
            using var cloudEvent = JsonDocument.Parse(delivery.Body);
            Assert.Equal($"{DisclosureLogFixture.PublicAddress}/api/webhooks/schemas/{WebhookEventTypes.Disclosure}", cloudEvent.RootElement.GetProperty("dataschema").GetString());
        }
        finally
        {
            await BackToStaffAsync(officer, recipient);
        }
    }

    [Fact]
    public async Task Rotating_shows_the_new_secret_once_and_keeps_the_old_one_signing_for_the_overlap()
    {
        const string recipient = "verkko24";
        using var officer = fixture.DisclosureLogClient(PlatformRoles.PrivacyOfficer);
        try
        {
            using var set = await officer.PutAsJsonAsync(ChannelOf(recipient), new { channel = "webhook", webhookUrl = "https://verkko24.example/hooks" });
            var first = (await set.Content.ReadFromJsonAsync<RecipientChannelDto>(s_json))!.WebhookSecret!;
            // A new URL on the same channel keeps the secret: the recipient rotates only when asked.
            using var moved = await officer.PutAsJsonAsync(ChannelOf(recipient), new { channel = "webhook", webhookUrl = "https://verkko24.example/v2/hooks" });
            Assert.Null((await moved.Content.ReadFromJsonAsync<RecipientChannelDto>(s_json))!.WebhookSecret);

            using var rotated = await officer.PostAsync(new Uri($"/api/recipients/{recipient}/webhook-secret", UriKind.Relative), null);

            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            Assert.True(rotated.Headers.CacheControl?.NoStore);
            var answer = (await rotated.Content.ReadFromJsonAsync<WebhookSecretDto>(s_json))!;
            Assert.True(WebhookSecrets.IsSecret(answer.WebhookSecret));
            Assert.NotEqual(first, answer.WebhookSecret);
            var stored = await fixture.InDisclosureLogAsync((db, _) => db.Recipients.AsNoTracking().SingleAsync(r => r.Slug == recipient));
            Assert.Equal(stored.PreviousWebhookSecretSignsUntil, answer.PreviousWebhookSecretSignsUntil);
            // Both sign for the configured overlap (a day by default), then the new one alone.
            Assert.Equal([answer.WebhookSecret, first], stored.SigningSecretsAt(fixture.Clock.GetUtcNow().AddHours(23)));
            Assert.Equal([answer.WebhookSecret], stored.SigningSecretsAt(fixture.Clock.GetUtcNow().AddHours(25)));
            var changes = (await officer.GetFromJsonAsync<List<RecipientChannelChangeDto>>(new Uri($"/api/recipients/{recipient}/channel-changes", UriKind.Relative), s_json))!;
            Assert.Equal([RecipientChannelChangeKinds.SecretRotated, RecipientChannelChangeKinds.ChannelSet, RecipientChannelChangeKinds.ChannelSet], changes.Take(3).Select(c => c.Kind));
            Assert.Equal([true, false, true], changes.Take(3).Select(c => c.NewWebhookSecret));
        }
        finally
        {
            await BackToStaffAsync(officer, recipient);
        }

        // Off the webhook channel no secret is kept, current or previous.
        var after = await fixture.InDisclosureLogAsync((db, _) => db.Recipients.AsNoTracking().SingleAsync(r => r.Slug == recipient));
        Assert.Equal((RecipientChannels.Staff, null, null, null), (after.Channel, after.WebhookUrl, after.WebhookSecret, after.PreviousWebhookSecret));
    }

    public static TheoryData<string, string, string> BadChannels() => new()
    {
        { """{"channel":"pigeon"}""", "channel", "transport-company" },
        { """{}""", "channel", "transport-company" },
        { """{"channel":"webhook"}""", "webhookUrl", "transport-company" },
        { """{"channel":"webhook","webhookUrl":"http://transport.example/hooks"}""", "webhookUrl", "transport-company" },
        { """{"channel":"webhook","webhookUrl":"ftp://transport.example/hooks"}""", "webhookUrl", "transport-company" },
        { """{"channel":"webhook","webhookUrl":"/hooks"}""", "webhookUrl", "transport-company" },
        { """{"channel":"webhook","webhookUrl":"https://transport.example/hooks","emailAddress":"a@transport.example"}""", "emailAddress", "transport-company" },
        { """{"channel":"email","emailAddress":"Kuljetus <a@transport.example>"}""", "emailAddress", "transport-company" },
        { """{"channel":"email"}""", "emailAddress", "transport-company" },
        // No mail server in this host: the e-mail channel would send nothing.
        { """{"channel":"email","emailAddress":"a@transport.example"}""", "channel", "transport-company" },
        { """{"channel":"staff","webhookUrl":"https://transport.example/hooks"}""", "webhookUrl", "transport-company" },
        { """{"channel":"amqp"}""", "channel", "transport-company" },
        // The accounting firm may keep amqp, but not take a webhook without a URL.
        { """{"channel":"webhook","webhookUrl":"hooks"}""", "webhookUrl", "accounting-firm" },
    };

    [Theory]
    [MemberData(nameof(BadChannels))]
    public async Task A_bad_channel_is_a_problem_naming_the_field_and_changes_nothing(string body, string field, string recipient)
    {
        using var officer = fixture.DisclosureLogClient(PlatformRoles.PrivacyOfficer);
        var before = await StateOfAsync(recipient);

        using var response = await officer.PutAsync(ChannelOf(recipient), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"the problem names {field}: {problem.RootElement}");
        Assert.Equal(before, await StateOfAsync(recipient));
    }

    [Theory]
    [InlineData(PlatformRoles.CustomerService)]
    [InlineData(PlatformRoles.RegisterAdmin)]
    [InlineData(PlatformRoles.Auditor)]
    public async Task Only_a_privacy_officer_sets_a_channel_or_rotates_a_secret(string role)
    {
        using var caller = fixture.DisclosureLogClient(role);
        using var processor = fixture.ProcessorClient("accounting-firm");
        var before = await StateOfAsync("payment-intermediary");

        foreach (var client in new[] { caller, processor })
        {
            using var set = await client.PutAsJsonAsync(ChannelOf("payment-intermediary"), new { channel = "webhook", webhookUrl = "https://pay.example/hooks" });
            using var rotated = await client.PostAsync(new Uri("/api/recipients/payment-intermediary/webhook-secret", UriKind.Relative), null);
            Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (set.StatusCode, rotated.StatusCode));
            Assert.Equal("application/problem+json", set.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(before, await StateOfAsync("payment-intermediary"));
        // The history is read like the rest of the disclosure log: the auditor may, customer service may not.
        using var history = await caller.GetAsync(new Uri("/api/recipients/payment-intermediary/channel-changes", UriKind.Relative));
        Assert.Equal(role == PlatformRoles.Auditor ? HttpStatusCode.OK : HttpStatusCode.Forbidden, history.StatusCode);
    }

    [Fact]
    public async Task Rotating_a_recipient_without_a_webhook_is_a_conflict_and_an_unknown_recipient_is_not_found()
    {
        using var officer = fixture.DisclosureLogClient(PlatformRoles.PrivacyOfficer);

        using var staff = await officer.PostAsync(new Uri("/api/recipients/group-companies/webhook-secret", UriKind.Relative), null);
        using var unknown = await officer.PutAsJsonAsync(ChannelOf("no-such-recipient"), new { channel = "staff" });

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.NotFound), (staff.StatusCode, unknown.StatusCode));
        Assert.Equal("application/problem+json", staff.Content.Headers.ContentType?.MediaType);
        Assert.Null((await StateOfAsync("group-companies")).Secret);
    }

    private static Uri ChannelOf(string recipient) => new($"/api/recipients/{recipient}/channel", UriKind.Relative);

    private static async Task BackToStaffAsync(HttpClient officer, string recipient)
    {
        using var response = await officer.PutAsJsonAsync(ChannelOf(recipient), new { channel = "staff" });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Everything a change could touch: the recipient's channel columns and how many changes it has.</summary>
    private Task<(string Channel, string? Url, string? Secret, string? Email, string? SetBy, int Changes)> StateOfAsync(string recipient) =>
        fixture.InDisclosureLogAsync(async (db, _) =>
        {
            var r = await db.Recipients.AsNoTracking().SingleAsync(x => x.Slug == recipient);
            var changes = await db.RecipientChannelChanges.CountAsync(c => c.Recipient == recipient);
            return (r.Channel, r.WebhookUrl, r.WebhookSecret, r.EmailAddress, r.ChannelSetBy, changes);
        });
}
