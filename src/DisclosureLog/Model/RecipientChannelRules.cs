using System.Net;
using MimeKit;

namespace Procexon.DisclosureLog.Model;

/// <summary>
/// What each channel needs, checked the same way whether a privacy officer sets it through the API (a problem naming
/// the field) or the deployment configures it (the start stops, naming the setting).
/// </summary>
public static class RecipientChannelRules
{
    /// <summary>
    /// Why <paramref name="url"/> cannot receive webhooks, or null when it can: an absolute https URL, or http on loopback
    /// only (a developer's receiver on the same machine), since the events carry identifiers and must not cross a network in clear.
    /// </summary>
    public static string? WebhookUrlProblem(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "The webhook URL must be an absolute https URL (https://processor.example/webhooks).";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            return "The webhook URL must use https; plain http is allowed on loopback only (localhost, 127.0.0.1, ::1).";
        }

        return string.IsNullOrEmpty(uri.UserInfo) ? null : "The webhook URL must not carry a user name or password.";
    }

    /// <summary>
    /// The one bare mailbox <paramref name="address"/> names (trimmed), or null with <paramref name="problem"/>: no display
    /// name or list, so what is stored is exactly where the mail goes.
    /// </summary>
    public static string? EmailAddressOf(string? address, out string? problem)
    {
        if (!MailboxAddress.TryParse(address, out var mailbox) || mailbox.Address != address?.Trim()
            || mailbox.Address.IndexOf('@', StringComparison.Ordinal) is <= 0 || mailbox.Address.EndsWith('@'))
        {
            problem = "The e-mail address must be one address (someone@example.fi), without a name or a list.";
            return null;
        }

        problem = null;
        return mailbox.Address;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
