using Procexon.DisclosureLog.Model;

namespace Procexon.DisclosureLog.Tests;

[Trait("Category", "Unit")]
public sealed class ErasureNotificationStatusTests
{
    [Fact]
    public void Notice_is_overdue_only_while_unconfirmed_after_its_confirm_by_time()
    {
        var sentAt = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        var notification = new ErasureNotification
        {
            Id = Guid.NewGuid(),
            RequestId = Guid.NewGuid(),
            Recipient = "finago",
            SubjectIds = [Guid.NewGuid()],
            Categories = ["payroll"],
            SentAt = sentAt,
            ConfirmBy = sentAt.AddDays(7),
        };

        Assert.Equal(ErasureNotificationStatuses.Notified, notification.StatusAt(sentAt.AddDays(7)));
        Assert.Equal(ErasureNotificationStatuses.Overdue, notification.StatusAt(sentAt.AddDays(7).AddTicks(1)));
        Assert.True(notification.Confirm(sentAt.AddDays(8), "finago", "late"));
        Assert.False(notification.Confirm(sentAt.AddDays(9), "staff", "again"));
        Assert.Equal(ErasureNotificationStatuses.Confirmed, notification.StatusAt(sentAt.AddDays(30)));
        Assert.Equal("late", notification.Detail);
    }
}
