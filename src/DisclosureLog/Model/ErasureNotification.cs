namespace Procexon.DisclosureLog.Model;

/// <summary>
/// The notice to one recipient that a subject's data it received must be erased (GDPR Art 19), and its confirmation.
/// One per erasure request and recipient.
/// </summary>
public sealed class ErasureNotification : IRecipientNotice
{
    public required Guid Id { get; init; }

    public required Guid RequestId { get; init; }

    /// <summary>The recipient's slug.</summary>
    public required string Recipient { get; init; }

    /// <summary>The subject's ids in the Registry that the recipient received data of.</summary>
    public required List<Guid> SubjectIds { get; init; }

    /// <summary>Every category disclosed to the recipient about those subjects.</summary>
    public required List<string> Categories { get; init; }

    public required DateTimeOffset SentAt { get; init; }

    /// <summary>When the recipient should have confirmed; unconfirmed after it, the notice is overdue.</summary>
    public required DateTimeOffset ConfirmBy { get; init; }

    public DateTimeOffset? ConfirmedAt { get; private set; }

    /// <summary>Who confirmed: the recipient's slug for an automated confirmation, or the staff member who recorded it.</summary>
    public string? ConfirmedBy { get; private set; }

    /// <summary>What the recipient said it did ("Erased 3 records").</summary>
    public string? Detail { get; private set; }

    /// <summary>Optimistic concurrency (PostgreSQL's xmin): a processor and staff confirming at once cannot both win.</summary>
    public uint Version { get; private set; }

    public const int MaxDetailLength = RecipientNotices.MaxDetailLength;

    public const int MaxConfirmedByLength = RecipientNotices.MaxConfirmedByLength;

    /// <summary>Records the confirmation; false, and nothing changes, when the notice was already confirmed.</summary>
    public bool Confirm(DateTimeOffset confirmedAt, string confirmedBy, string? detail)
    {
        if (ConfirmedAt is not null)
        {
            return false;
        }

        ConfirmedAt = confirmedAt.ToMicroseconds();
        (ConfirmedBy, Detail) = RecipientNotices.Normalize(confirmedBy, detail);
        return true;
    }
}

