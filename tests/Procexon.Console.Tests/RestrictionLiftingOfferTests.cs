using Procexon.Console.Apis;

namespace Procexon.Console.Tests;

/// <summary>The console offers to lift a restriction exactly when the API would (<c>CanBeLifted</c>).</summary>
[Trait("Category", "Unit")]
public sealed class RestrictionLiftingOfferTests
{
    private static readonly DateTimeOffset s_at = new(2028, 1, 31, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_restriction_waiting_only_for_a_recipients_confirmation_may_be_lifted_but_not_one_still_waiting_for_a_register()
    {
        var waitingOnRecipient = Restriction("in-progress", "restricted", recipientsResolved: true, "overdue");
        Assert.True(waitingOnRecipient.HoldsRestriction);
        Assert.True(Restriction("completed", "restricted", recipientsResolved: true, "confirmed").HoldsRestriction);
        Assert.False(Restriction("in-progress", "pending", recipientsResolved: true, "notified").HoldsRestriction);
        Assert.False(Restriction("in-progress", "restricted", recipientsResolved: false).HoldsRestriction);
        Assert.False((waitingOnRecipient with { Type = "objection", Decision = new(false, "Grounds", "Tiina", s_at) }).HoldsRestriction);
        Assert.True((waitingOnRecipient with { Type = "objection", Decision = new(true, "No grounds", "Tiina", s_at) }).HoldsRestriction);
    }

    private static RequestStatus Restriction(string status, string outcome, bool recipientsResolved, params string[] recipients) => new(
        Guid.NewGuid(), "restriction", status, "letter", null, s_at, DateOnly.FromDateTime(s_at.Date), s_at, null, s_at,
        recipientsResolved ? s_at : null, status == "completed" ? s_at : null,
        [new RegisterOutcome("customers", new("Asiakasrekisteri", "Customer register"), outcome, 1, s_at)],
        [.. recipients.Select(r => new RecipientStatus("finago", null, r, s_at.AddDays(7), r == "confirmed" ? s_at : null))]);
}
