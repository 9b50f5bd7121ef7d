using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Procexon.Contracts;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.DisclosureLog.IntegrationEvents;
using Procexon.DisclosureLog.Model;
using Procexon.Messaging.Database;
using Procexon.Messaging.Outbox;
using Procexon.Testing;
using StandardWebhooks;

namespace Procexon.DisclosureLog.Tests.Webhooks;

/// <summary>A secret rotated while a receiver still verifies with the old one, and a privacy officer's channel against the configuration's.</summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookSecretRotationTests(WebhookFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Notice_sent_during_the_overlap_carries_two_signatures_one_valid_under_the_old_secret_and_one_under_the_new()
    {
        var old = fixture.Rotating.Secret;
        var rotated = await fixture.InDisclosureLogAsync(async db => await RecipientChannelsApi.RotateWebhookSecret(
            WebhookFixture.RotatingRecipient, DisclosureLogFixture.Staff, new DefaultHttpContext(), db,
            fixture.DisclosureLog.Services.GetRequiredService<IOptions<WebhookOptions>>(), TimeProvider.System, default));
        var fresh = Assert.IsType<Ok<WebhookSecretDto>>(rotated.Result).Value!.WebhookSecret;

        var disclosureId = await DiscloseAsync(WebhookFixture.RotatingRecipient);

        Assert.True(await Eventually.EventuallyAsync(() => fixture.Rotating.Received.Any(r => r.Id == disclosureId.ToString()), Patience));
        var received = fixture.Rotating.Received.Single(r => r.Id == disclosureId.ToString());
        // The receiver, still on the old secret, accepted it as the specification says: one of the signatures is its own.
        Assert.True(received.VerifiedByHand);
        // Two signatures, the new secret's first, each verified by the StandardWebhooks package under its own secret only.
        var signatures = received.Signature.Split(' ');
        Assert.Equal(2, signatures.Length);
        new StandardWebhook(fresh).Verify(received.Body, HeadersOf(received, signatures[0]));
        new StandardWebhook(old).Verify(received.Body, HeadersOf(received, signatures[1]));
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => new StandardWebhook(old).Verify(received.Body, HeadersOf(received, signatures[0])));
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => new StandardWebhook(fresh).Verify(received.Body, HeadersOf(received, signatures[1])));
        // The whole header verifies under the new secret with the package, and under neither for a stranger. (The package,
        // 1.1.2, compares only the first of several signatures, so a .NET receiver still on the old secret splits the
        // header or tries each of its secrets: docs/processors.md.)
        new StandardWebhook(fresh).Verify(received.Body, HeadersOf(received, received.Signature));
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() =>
            new StandardWebhook(WebhookReceiver.NewSecret()).Verify(received.Body, HeadersOf(received, received.Signature)));

        // Both at rest only as ciphertext.
        var stored = await fixture.InDisclosureLogAsync(db => db.Database.SqlQuery<byte[]>(
            $"SELECT previous_webhook_secret_encrypted AS \"Value\" FROM recipients WHERE slug = {WebhookFixture.RotatingRecipient}").SingleAsync());
        Assert.Equal(-1, stored.AsSpan().IndexOf(Convert.FromBase64String(old["whsec_".Length..]).AsSpan(0, 8)));
        Assert.DoesNotContain(old["whsec_".Length..], Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channel_the_privacy_officer_set_wins_over_the_configuration_after_a_restart()
    {
        var configured = await fixture.InDisclosureLogAsync(db => db.Recipients.AsNoTracking().SingleAsync(r => r.Slug == WebhookFixture.OverriddenRecipient));
        Assert.Equal((RecipientChannels.Webhook, fixture.Overridden.Url.ToString()), (configured.Channel, configured.WebhookUrl));

        var set = await fixture.InDisclosureLogAsync(async db => await RecipientChannelsApi.SetChannel(
            WebhookFixture.OverriddenRecipient, new SetChannelBody(RecipientChannels.Staff, null, null), DisclosureLogFixture.Staff,
            new DefaultHttpContext(), db, fixture.DisclosureLog.Services, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<RecipientChannelChange>.Instance, default));
        Assert.IsType<Ok<RecipientChannelDto>>(set.Result);

        await fixture.RestartDisclosureLogAsync(() => Task.CompletedTask);

        var after = await fixture.InDisclosureLogAsync(db => db.Recipients.AsNoTracking().SingleAsync(r => r.Slug == WebhookFixture.OverriddenRecipient));
        Assert.Equal((RecipientChannels.Staff, null, null, DisclosureLogFixture.StaffActor), (after.Channel, after.WebhookUrl, after.WebhookSecret, after.ChannelSetBy));
        var changes = await fixture.InDisclosureLogAsync(db => db.RecipientChannelChanges.AsNoTracking()
            .Where(c => c.Recipient == WebhookFixture.OverriddenRecipient).OrderBy(c => c.Id).ToListAsync());
        // Configured once at the first start, set once by the officer, and the restart's configuration changed nothing.
        Assert.Equal([RecipientChannelChangeKinds.Configured, RecipientChannelChangeKinds.ChannelSet], changes.Select(c => c.Kind));
        Assert.StartsWith("configuration (DisclosureLog:Webhooks:Recipients:third-parties-with-consent)", changes[0].ChangedBy, StringComparison.Ordinal);
        Assert.Equal(DisclosureLogFixture.StaffActor, changes[1].ChangedBy);
    }

    [Fact]
    public void The_previous_secret_signs_only_until_its_overlap_ends_and_none_without_an_overlap()
    {
        var now = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
        var recipient = new Recipient
        {
            Slug = "finago",
            NameFi = "Finago",
            NameEn = "Finago",
            Role = RecipientRoles.Processor,
            DescriptionFi = "",
            DescriptionEn = "",
            Channel = RecipientChannels.Staff,
            Country = "FI",
            OutsideEuEea = false,
            ReceivesErasureNotices = true,
            Categories = [],
            Position = 1,
        };
        var first = recipient.SetChannel(RecipientChannels.Webhook, "https://finago.example/hooks", null)!;
        var second = WebhookSecrets.Generate();

        recipient.RotateWebhookSecret(second, now, TimeSpan.FromHours(2));

        Assert.Equal([second, first], recipient.SigningSecretsAt(now.AddHours(1)));
        Assert.Equal([second], recipient.SigningSecretsAt(now.AddHours(2)));
        recipient.RotateWebhookSecret(WebhookSecrets.Generate(), now, TimeSpan.Zero);
        Assert.Single(recipient.SigningSecretsAt(now));
    }

    private static HeaderDictionary HeadersOf(ReceivedWebhook received, string signature) => new()
    {
        ["webhook-id"] = received.Id,
        ["webhook-timestamp"] = received.Timestamp,
        ["webhook-signature"] = signature,
    };

    private Task<Guid> DiscloseAsync(string recipientSlug) => fixture.InDisclosureLogAsync(async db =>
    {
        var recipient = await db.Recipients.AsNoTracking().SingleAsync(r => r.Slug == recipientSlug);
        var now = DateTimeOffset.UtcNow.ToMicroseconds();
        var subject = Guid.CreateVersion7();
        var disclosure = new Disclosure
        {
            Id = Guid.CreateVersion7(),
            Recipient = recipientSlug,
            SubjectId = subject,
            Categories = ["basic-data"],
            LegalBasis = "contract",
            DisclosedAt = now,
        };
        db.Disclosures.Add(disclosure);
        new EventOutbox<DisclosureLogContext>(db, TimeProvider.System).SendTo(db, recipient, new DataDisclosed(
            disclosure.Id, recipientSlug, subject, new SubjectKeys(Email: "konserni@example.fi"), disclosure.Categories, disclosure.LegalBasis), now, WebhookFixture.Schemas);
        await db.SaveChangesAsync();
        return disclosure.Id;
    });
}
