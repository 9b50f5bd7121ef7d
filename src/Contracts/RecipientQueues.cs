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

    /// <summary>
    /// The exchange a recipient's processor sends its confirmations to. Only that processor's broker user may write to
    /// it, so the exchange a confirmation arrived through says who sent it; DisclosureLog checks it against the
    /// recipient the message names, never trusting the field alone.
    /// </summary>
    public static string ConfirmationsOf(string recipientSlug) => $"{Of(recipientSlug)}-confirmations";

    /// <summary>The broker user a recipient's processor connects as (its permissions: docs/security.md, "Broker").</summary>
    public static string BrokerUserOf(string recipientSlug)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipientSlug);
        return $"processor-{recipientSlug}";
    }
}
