namespace Procexon.DisclosureLog.Model;

/// <summary>
/// The notice to one recipient that a subject's data it received must be erased (GDPR Art 19), and its confirmation.
/// One per erasure request and recipient.
/// </summary>
public sealed class ErasureNotification : RecipientNotice
{
    /// <summary>Every category disclosed to the recipient about those subjects.</summary>
    public required List<string> Categories { get; init; }

    public const int MaxDetailLength = RecipientNotices.MaxDetailLength;

    public const int MaxConfirmedByLength = RecipientNotices.MaxConfirmedByLength;
}
