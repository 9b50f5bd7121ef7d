using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Procexon.Messaging.Mail;

/// <summary>
/// Sends one message over SMTP (MailKit), one connection per message: mail is rare enough that a connection kept open
/// would only go stale between messages. Every send is a span (<c>smtp send</c>, tagged by the caller with its ids) and
/// counted as sent or failed. The addresses, the body and the server's reply text are never logged nor put on the trace,
/// since a refusal often quotes the recipient; a failure becomes <see cref="SmtpMailException"/> with the reply code only.
/// </summary>
public sealed partial class SmtpMailer(SmtpMailSettings settings, MailCounters counters, TimeProvider clock, ILogger<SmtpMailer> logger)
{
    /// <summary>Traced by the service defaults (they listen to <c>Procexon.*</c>).</summary>
    public const string ActivitySourceName = "Procexon.Mail";

    private static readonly ActivitySource s_activitySource = new(ActivitySourceName);

    public SmtpMailSettings Settings => settings;

    /// <summary>Sends <paramref name="message"/> from the configured sender; <paramref name="reference"/> names it in the log (an id, never an address).</summary>
    public async Task SendAsync(MimeMessage message, string reference, IEnumerable<KeyValuePair<string, object?>> tags, CancellationToken cancellationToken)
    {
        using var activity = s_activitySource.StartActivity("smtp send", ActivityKind.Client);
        foreach (var (key, value) in tags)
        {
            activity?.SetTag(key, value);
        }

        activity?.SetTag("server.address", settings.Host);
        activity?.SetTag("server.port", settings.Port);

        if (message.From.Count == 0)
        {
            message.From.Add(settings.From);
        }

        message.Date = clock.GetUtcNow();
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
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
            counters.Failed();
            LogSendFailed(logger, reference, settings.Host, settings.Port, exception.GetType().Name, reply ?? "none");
            throw new SmtpMailException(reply, reply is null
                ? "The mail server could not be reached; try again later."
                : $"The mail server refused the message (SMTP {reply}).");
        }

        counters.Sent();
    }

    // Ids, the server and the kind of failure only: never the address, the body or the server's reply text.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {Reference} was not sent through {Host}:{Port}: {Failure}, SMTP reply {Reply}")]
    private static partial void LogSendFailed(ILogger logger, string reference, string host, int port, string failure, string reply);
}

/// <summary>The mail could not be sent: the server was unreachable or refused it (<see cref="Reply"/> is its code, if it answered).</summary>
public sealed class SmtpMailException(string? reply, string message) : Exception(message)
{
    public string? Reply { get; } = reply;
}

/// <summary>
/// The two counters every service's mail has, <c>{prefix}.sent</c> and <c>{prefix}.failed</c>, on the service's own
/// meter, so each service's mail is counted under its own name.
/// </summary>
public sealed class MailCounters(Meter meter, string prefix, string whose)
{
    private readonly Counter<long> _sent = meter.CreateCounter<long>($"{prefix}.sent", "{message}", $"Mail to {whose} the SMTP server accepted.");
    private readonly Counter<long> _failed = meter.CreateCounter<long>($"{prefix}.failed", "{message}",
        $"Mail to {whose} that could not be sent: the server was unreachable or refused it.");

    public void Sent() => _sent.Add(1);

    public void Failed() => _failed.Add(1);
}

/// <summary>Registers the service's <see cref="SmtpMailer"/> when <c>ConnectionStrings:mail</c> is set.</summary>
public static class SmtpMailerExtensions
{
    /// <summary>False, and nothing registered, without the connection string; bad settings stop the start, naming the setting.</summary>
    public static bool TryAddSmtpMailer(this IHostApplicationBuilder builder, Func<IServiceProvider, MailCounters> counters)
    {
        if (builder.Configuration.GetConnectionString(SmtpMailSettings.ConnectionName) is not { Length: > 0 } connection)
        {
            return false;
        }

        var settings = SmtpMailSettings.Parse(connection, builder.Configuration.GetSection(SmtpMailSettings.Section));
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(counters);
        builder.Services.AddSingleton<SmtpMailer>();
        return true;
    }
}
