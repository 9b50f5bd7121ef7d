namespace Procexon.RightsRequests.Model;

/// <summary>
/// A recipient of the subject's data told of the erasure (GDPR Art 19) and its answer, the confirmation: the request's
/// row per recipient beside its <see cref="RegisterAnswer"/> per register (DisclosureLog keeps the notice itself). A
/// confirmation may be recorded before the notification list arrives; the notification's details fill in then.
/// </summary>
public sealed class RecipientAnswer
{
    public required Guid RequestId { get; init; }

    /// <summary>The recipient's slug: accounting-firm, finago, verkko24, …</summary>
    public required string Recipient { get; init; }

    public LocalizedText? Name { get; private set; }

    public Guid? NotificationId { get; private set; }

    /// <summary>The time by which DisclosureLog expects the recipient's confirmation.</summary>
    public DateTimeOffset? ConfirmBy { get; private set; }

    public DateTimeOffset? ConfirmedAt { get; private set; }

    public bool IsConfirmed => ConfirmedAt is not null;

    public void Notified(Guid notificationId, LocalizedText name, DateTimeOffset confirmBy)
    {
        NotificationId = notificationId;
        Name = name;
        ConfirmBy = confirmBy;
    }

    /// <summary>The first confirmation counts; a repeated one changes nothing.</summary>
    public void Confirmed(DateTimeOffset confirmedAt) => ConfirmedAt ??= confirmedAt;
}
