using MimeKit;
using Procexon.Messaging.Mail;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>
/// Mail to a subject through the platform's <see cref="SmtpMailer"/>: the message with the request's id in a header, and
/// any failure as <see cref="SubjectMailUnavailableException"/> (503 to the caller). The address is never logged nor traced.
/// </summary>
public sealed class SmtpSubjectMailer(SmtpMailer mailer) : ISubjectMailer
{
    /// <summary>The shared mailer's source: the send's span is tagged with the request id.</summary>
    public const string ActivitySourceName = SmtpMailer.ActivitySourceName;

    /// <summary>Lets the receiving side (and the tests) tie a message to its request without reading its text.</summary>
    public const string RequestIdHeader = "Procexon-Request-Id";

    public async Task SendAsync(SubjectMail mail, CancellationToken cancellationToken)
    {
        using var message = new MimeMessage { Subject = mail.Subject, Body = new TextPart("plain") { Text = mail.Body } };
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Headers.Add(RequestIdHeader, mail.RequestId.ToString());
        try
        {
            await mailer.SendAsync(message, $"for request {mail.RequestId}", [new("procexon.request_id", mail.RequestId)], cancellationToken);
        }
        catch (SmtpMailException failure)
        {
            throw new SubjectMailUnavailableException(failure.Message);
        }
    }
}
