using System.Text;
using Microsoft.EntityFrameworkCore;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.DisclosureLog.Model;

namespace Procexon.DisclosureLog.Tests.Webhooks;

[Collection(WebhookCollection.Name)]
public sealed class WebhookRecipientConfigurationTests(WebhookFixture fixture)
{
    [Fact]
    public async Task Configured_recipient_takes_the_webhook_channel_and_its_secret_is_encrypted_at_rest()
    {
        var recipient = await fixture.InDisclosureLogAsync(db => db.Recipients.AsNoTracking().SingleAsync(r => r.Slug == WebhookFixture.VerifyingRecipient));
        Assert.Equal(RecipientChannels.Webhook, recipient.Channel);
        Assert.Equal(fixture.Verifying.Url.ToString(), recipient.WebhookUrl);
        Assert.Equal(fixture.Verifying.Secret, recipient.WebhookSecret);

        var stored = await fixture.InDisclosureLogAsync(db => db.Database
            .SqlQuery<byte[]>($"SELECT webhook_secret_encrypted AS \"Value\" FROM recipients WHERE slug = {WebhookFixture.VerifyingRecipient}").SingleAsync());
        Assert.DoesNotContain(fixture.Verifying.Secret["whsec_".Length..], Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(-1, stored.AsSpan().IndexOf(Convert.FromBase64String(fixture.Verifying.Secret["whsec_".Length..]).AsSpan(0, 8)));
    }

    [Theory]
    [InlineData("ftp://example.fi/hooks", "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz", "Url")]
    [InlineData("hooks", "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz", "Url")]
    [InlineData("http://example.fi/hooks", "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz", "Url")]
    [InlineData("https://example.fi/hooks", "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz", "Secret")]
    [InlineData("https://example.fi/hooks", "whsec_c2hvcnQ=", "Secret")]
    [InlineData("https://example.fi/hooks", "whsec_not base64!", "Secret")]
    public void Bad_url_or_secret_stops_the_start_naming_the_setting(string url, string secret, string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RecipientChannelsConfigurer.Read(
            new WebhookOptions { Recipients = { ["website-it-company"] = new WebhookEndpoint { Url = url, Secret = secret } } }, new EmailOptions()));
        Assert.StartsWith($"DisclosureLog:Webhooks:Recipients:website-it-company:{setting}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.fi/hooks")]
    [InlineData("http://127.0.0.1:5000/webhooks")]
    [InlineData("http://localhost:5000/webhooks")]
    [InlineData("http://[::1]:5000/webhooks")]
    public void Https_or_plain_http_on_loopback_is_taken(string url)
    {
        var channel = Assert.Single(RecipientChannelsConfigurer.Read(
            new WebhookOptions { Recipients = { ["website-it-company"] = new WebhookEndpoint { Url = url, Secret = "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz" } } }, new EmailOptions()));
        Assert.Equal((RecipientChannels.Webhook, url), (channel.Channel, channel.WebhookUrl));
    }

    [Fact]
    public void A_recipient_configured_for_two_channels_stops_the_start_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RecipientChannelsConfigurer.Read(
            new WebhookOptions { Recipients = { ["auditor"] = new WebhookEndpoint { Url = "https://example.fi/hooks", Secret = "whsec_MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz" } } },
            new EmailOptions { Recipients = { ["auditor"] = "auditor@example.fi" } }));
        Assert.StartsWith("DisclosureLog:Email:Recipients:auditor", error.Message, StringComparison.Ordinal);
    }
}
