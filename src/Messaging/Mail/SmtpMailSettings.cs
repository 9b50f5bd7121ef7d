using System.Data.Common;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace Procexon.Messaging.Mail;

/// <summary>
/// The SMTP server a service sends its mail through: the connection string <c>ConnectionStrings:mail</c>
/// (<c>Endpoint=smtp://host:port;Username=…;Password=…</c>, as Aspire's MailKit integration takes it) and the
/// <c>Mail</c> section: <c>From</c> (required), <c>Security</c> (<c>StartTls</c> by default for smtp://,
/// <c>SslOnConnect</c> for smtps://, <c>None</c> only for a server on the same machine) and <c>Timeout</c>.
/// </summary>
public sealed record SmtpMailSettings(string Host, int Port, SecureSocketOptions Security, string? Username, string? Password, MailboxAddress From, TimeSpan Timeout)
{
    public const string ConnectionName = "mail";
    public const string Section = "Mail";

    /// <summary>Read at start: a mistake in the settings stops the service, naming the setting, instead of every send failing.</summary>
    public static SmtpMailSettings Parse(string connectionString, IConfiguration mail)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string? Part(string key) => parts.TryGetValue(key, out var value) ? value?.ToString() : null;

        if (!Uri.TryCreate(Part("Endpoint"), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("smtp" or "smtps"))
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} needs Endpoint=smtp://host:port (or smtps://).");
        }

        var implicitTls = endpoint.Scheme == "smtps";
        var security = mail["Security"] is { Length: > 0 } configured
            ? configured.ToLowerInvariant() switch
            {
                "none" => SecureSocketOptions.None,
                "starttls" => SecureSocketOptions.StartTls,
                "sslonconnect" => SecureSocketOptions.SslOnConnect,
                _ => throw new InvalidOperationException($"{Section}:Security is StartTls, SslOnConnect or None, not '{configured}'."),
            }
            : implicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;

        var username = Part("Username");
        if (security == SecureSocketOptions.None && !string.IsNullOrEmpty(username) && !IsLoopback(endpoint.Host))
        {
            throw new InvalidOperationException($"{Section}:Security=None would send the mail password in clear to {endpoint.Host}: only for a server on this machine.");
        }

        if (!MailboxAddress.TryParse(mail["From"], out var from))
        {
            throw new InvalidOperationException($"{Section}:From must be the address the service's mail is sent from (e.g. Tietosuoja <tietosuoja@example.fi>).");
        }

        var timeout = mail.GetValue("Timeout", TimeSpan.FromSeconds(15));
        if (timeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:Timeout must be positive.");
        }

        return new SmtpMailSettings(endpoint.Host, endpoint.Port < 0 ? (implicitTls ? 465 : 587) : endpoint.Port,
            security, username, Part("Password"), from, timeout);
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));
}
