using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>
/// The SMTP server mail to subjects goes through: the connection string <c>ConnectionStrings:mail</c>
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
            throw new InvalidOperationException($"{Section}:From must be the address mail to subjects is sent from (e.g. Tietosuoja <tietosuoja@example.fi>).");
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

/// <summary>
/// Sends each mail to a subject over SMTP (MailKit), one connection per mail: they are few, and a connection kept open
/// would only go stale between them. Any failure becomes <see cref="SubjectMailUnavailableException"/> (503 to the caller).
/// The address and the body are never logged nor put on the trace; the server's reply text is not either, since a
/// refusal often quotes the recipient.
/// </summary>
public sealed partial class SmtpSubjectMailer(SmtpMailSettings settings, TimeProvider clock, RightsRequestsMetrics metrics, ILogger<SmtpSubjectMailer> logger)
    : ISubjectMailer
{
    /// <summary>Traced by the service defaults (they listen to <c>Procexon.*</c>).</summary>
    public const string ActivitySourceName = "Procexon.RightsRequests.Mail";

    private static readonly ActivitySource s_activitySource = new(ActivitySourceName);

    /// <summary>Lets the receiving side (and the tests) tie a message to its request without reading its text.</summary>
    public const string RequestIdHeader = "Procexon-Request-Id";

    public async Task SendAsync(SubjectMail mail, CancellationToken cancellationToken)
    {
        using var activity = s_activitySource.StartActivity("smtp send", ActivityKind.Client);
        activity?.SetTag("procexon.request_id", mail.RequestId);
        activity?.SetTag("server.address", settings.Host);
        activity?.SetTag("server.port", settings.Port);

        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            using var message = Compose(mail);
            await client.ConnectAsync(settings.Host, settings.Port, settings.Security, cancellationToken);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reply = exception is SmtpCommandException command ? ((int)command.StatusCode).ToString(CultureInfo.InvariantCulture) : null;
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity?.SetTag("error.type", exception.GetType().FullName);
            metrics.SubjectMailFailed();
            LogSendFailed(logger, mail.RequestId, settings.Host, settings.Port, exception.GetType().Name, reply ?? "none");
            throw new SubjectMailUnavailableException(reply is null
                ? "The mail server could not be reached; try again later."
                : $"The mail server refused the message (SMTP {reply}).");
        }

        metrics.SubjectMailSent();
    }

    private MimeMessage Compose(SubjectMail mail)
    {
        var message = new MimeMessage { Subject = mail.Subject, Date = clock.GetUtcNow(), Body = new TextPart("plain") { Text = mail.Body } };
        message.From.Add(settings.From);
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Headers.Add(RequestIdHeader, mail.RequestId.ToString());
        return message;
    }

    // Ids, the server and the kind of failure only: never the address, the body or the server's reply text.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail for request {RequestId} was not sent through {Host}:{Port}: {Failure}, SMTP reply {Reply}")]
    private static partial void LogSendFailed(ILogger logger, Guid requestId, string host, int port, string failure, string reply);
}
