namespace Procexon.Contracts;

/// <summary>
/// The queue a recipient's events are sent to: the sender (DisclosureLog) and the recipient's processor must agree
/// on it, and each processor reads only its own, so no processor sees another recipient's subjects.
/// </summary>
public static class RecipientQueues
{
    public static string Of(string recipientSlug)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipientSlug);
        return $"recipient-{recipientSlug}";
    }
}
