using Microsoft.EntityFrameworkCore;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.DisclosureLog.Model;

namespace Procexon.DisclosureLog.Tests.Email;

[Collection(EmailCollection.Name)]
public sealed class EmailRecipientConfigurationTests(EmailFixture fixture)
{
    [Fact]
    public async Task Configured_recipient_takes_the_email_channel_with_its_address()
    {
        var recipient = await fixture.InDisclosureLogAsync(db => db.Recipients.AsNoTracking().SingleAsync(r => r.Slug == EmailFixture.Recipient));
        Assert.Equal(RecipientChannels.Email, recipient.Channel);
        Assert.Equal(EmailFixture.Address, recipient.EmailAddress);
    }

    [Theory]
    [InlineData("auditor@example.fi", true)]
    [InlineData(" auditor@example.fi ", true)]
    [InlineData("Tilintarkastaja <auditor@example.fi>", false)]
    [InlineData("auditor@example.fi, other@example.fi", false)]
    [InlineData("auditor", false)]
    [InlineData("@example.fi", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_one_bare_address_is_taken_and_anything_else_stops_the_start_naming_the_setting(string? address, bool taken)
    {
        var configured = new EmailOptions { Recipients = { ["auditor"] = address! } };
        if (taken)
        {
            Assert.Equal("auditor@example.fi", Assert.Single(RecipientChannelsConfigurer.Read(new WebhookOptions(), configured)).EmailAddress);
            return;
        }

        var error = Assert.Throws<InvalidOperationException>(() => RecipientChannelsConfigurer.Read(new WebhookOptions(), configured));
        Assert.StartsWith("DisclosureLog:Email:Recipients:auditor", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://tietosuoja.example.fi", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("tietosuoja.example.fi", false)]
    [InlineData("ftp://tietosuoja.example.fi", false)]
    [InlineData(null, false)]
    public void The_links_public_address_is_an_absolute_http_address(string? address, bool valid)
    {
        if (valid)
        {
            Assert.Equal(address, new PublicAddress(address).Origin);
            return;
        }

        var error = Assert.Throws<InvalidOperationException>(() => new PublicAddress(address));
        Assert.StartsWith(PublicAddress.Setting, error.Message, StringComparison.Ordinal);
    }
}
