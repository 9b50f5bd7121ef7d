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
    [InlineData("https://example.fi/hooks", "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIz", "Secret")]
    [InlineData("https://example.fi/hooks", "whsec_c2hvcnQ=", "Secret")]
    [InlineData("https://example.fi/hooks", "whsec_not base64!", "Secret")]
    public void Bad_url_or_secret_stops_the_start_naming_the_setting(string url, string secret, string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            WebhookRecipientsConfigurer.Validate("website-it-company", new WebhookEndpoint { Url = url, Secret = secret }));
        Assert.StartsWith($"DisclosureLog:Webhooks:Recipients:website-it-company:{setting}", error.Message, StringComparison.Ordinal);
    }
}
