using Microsoft.AspNetCore.Http.HttpResults;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Model;

namespace Procexon.DisclosureLog.Tests;

[Collection(DisclosureLogCollection.Name)]
public sealed class RecipientChannelTests(DisclosureLogFixture fixture)
{
    [Fact]
    public async Task Recipients_api_shows_the_accounting_firm_on_amqp_and_every_other_recipient_on_staff()
    {
        var result = await fixture.InDisclosureLogAsync((db, _) => RecipientsApi.ListRecipients(null, db, default));
        var recipients = Assert.IsType<Ok<List<RecipientDto>>>(result.Result).Value!;

        Assert.Equal(RecipientChannels.Amqp, recipients.Single(r => r.Slug == "accounting-firm").Channel);
        Assert.All(recipients.Where(r => r.Slug != "accounting-firm"), r => Assert.Equal(RecipientChannels.Staff, r.Channel));
        Assert.Equal(11, recipients.Count);
    }

    [Fact]
    public void Recipient_queue_is_named_after_the_recipients_slug()
    {
        Assert.Equal("recipient-accounting-firm", Procexon.Contracts.RecipientQueues.Of("accounting-firm"));
    }
}
