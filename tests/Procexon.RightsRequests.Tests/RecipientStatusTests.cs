using Microsoft.Extensions.Time.Testing;
using Procexon.RightsRequests.Apis;
using Procexon.RightsRequests.Model;
using static Procexon.RightsRequests.Tests.Requests;

namespace Procexon.RightsRequests.Tests;

[Trait("Category", "Unit")]
public sealed class RecipientStatusTests
{
    private static readonly DateTimeOffset s_confirmBy = new(2026, 3, 17, 9, 30, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(VerifiedAt);

    [Fact]
    public void Unconfirmed_recipient_is_notified_until_its_confirm_by_time()
    {
        var request = NotifiedErasure();

        _clock.SetUtcNow(s_confirmBy);

        Assert.Equal("notified", StatusOf(request, "accounting-firm"));
    }

    [Fact]
    public void Unconfirmed_recipient_is_overdue_once_its_confirm_by_time_has_passed()
    {
        var request = NotifiedErasure();

        _clock.SetUtcNow(s_confirmBy);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("overdue", StatusOf(request, "accounting-firm"));
        Assert.Equal("confirmed", StatusOf(request, "finago"));
    }

    [Fact]
    public void Confirmed_recipient_is_never_overdue_even_when_it_confirmed_late()
    {
        var request = NotifiedErasure();
        _clock.SetUtcNow(s_confirmBy.AddDays(3));

        request.RecordRecipientConfirmation("accounting-firm", _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromDays(30));

        Assert.Equal("confirmed", StatusOf(request, "accounting-firm"));
    }

    [Fact]
    public void Status_shows_each_recipient_with_its_names_and_dates()
    {
        var request = NotifiedErasure();

        var dto = RequestStatusDto.From(request, _clock.GetUtcNow());

        var firm = Assert.Single(dto.Recipients, r => r.Recipient == "accounting-firm");
        Assert.Equal("Tilitoimisto", firm.Name?.Fi);
        Assert.Equal(s_confirmBy, firm.ConfirmBy);
        Assert.Null(firm.ConfirmedAt);
        Assert.Equal(["accounting-firm", "finago"], dto.Recipients.Select(r => r.Recipient));
    }

    private string StatusOf(RightsRequest request, string recipient) =>
        Assert.Single(RequestStatusDto.From(request, _clock.GetUtcNow()).Recipients, r => r.Recipient == recipient).Status;

    private RightsRequest NotifiedErasure()
    {
        var request = VerifiedErasure();
        request.RecordNotifiedRecipients(
            [
                Recipient("accounting-firm", "Tilitoimisto", "Accounting firm", s_confirmBy),
                Recipient("finago", "Finago", "Finago", s_confirmBy),
            ],
            _clock.GetUtcNow());
        request.RecordRecipientConfirmation("finago", _clock.GetUtcNow().AddHours(1));
        return request;
    }
}
