using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MimeKit;
using Procexon.Messaging.Mail;

namespace Procexon.DisclosureLog.IntegrationEvents;

/// <summary>
/// Mails one notice to an e-mail recipient through the shared <see cref="SmtpMailer"/>, in Finnish and English, with a
/// one-time confirmation link through the gateway. The mail carries what the webhook event carries (the notice's and the
/// request's ids, the subject's ids in the Registry, the categories or the corrections) and no identifier of the subject;
/// one text per kind of notice (erasure, rectification, restriction and its lifting).
/// The link's token is derived from the notice's id (<see cref="EmailLinkTokens"/>): every attempt mails the same link,
/// valid as soon as it leaves, and nothing of it is stored.
/// </summary>
public sealed class EmailNoticeSender(
    IServiceProvider services, PublicAddress publicAddress, EmailLinkTokens tokens, IOptions<WebhookOptions> delivery, TimeProvider clock)
    : IRecipientChannelSender
{
    /// <summary>Lets the recipient's mail rules (and the tests) tie a mail to its notice without reading its text.</summary>
    public const string NoticeIdHeader = "Procexon-Notice-Id";

    /// <summary>Where the link points; the token follows as <c>?token=</c>.</summary>
    public static string LinkPath(Guid noticeId) => $"/api/disclosures/notifications/{noticeId}/confirmation-link";

    public string Channel => RecipientChannels.Email;

    public Task<WebhookSendResult> SendAsync(WebhookDelivery delivery, Recipient recipient, CancellationToken cancellationToken) =>
        recipient is { Channel: RecipientChannels.Email, EmailAddress: { } address }
            ? SendAsync(address, delivery, cancellationToken)
            : Task.FromResult(new WebhookSendResult(false, null, "The recipient has no e-mail address.", 0, CircuitOpen: false));

    private async Task<WebhookSendResult> SendAsync(string address, WebhookDelivery notice, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        // Resolved here, not injected: without a mail server the service still starts, and only e-mail deliveries fail.
        if (services.GetService<SmtpMailer>() is not { } mailer)
        {
            return new WebhookSendResult(false, null, "No mail server is configured.", 0, CircuitOpen: false);
        }

        // 256 bits under a key only DisclosureLog holds: the link is the recipient's only credential, so it must not be guessable.
        var link = $"{publicAddress.Origin}{LinkPath(notice.Id)}?token={tokens.For(notice.Id)}";
        using var message = Compose(address, notice, link, notice.CreatedAt + delivery.Value.GiveUpAfter);
        try
        {
            await mailer.SendAsync(message, $"notice {notice.Id} to {notice.Recipient}",
                [new("procexon.recipient", notice.Recipient), new("procexon.notice_id", notice.Id)], cancellationToken);
        }
        catch (SmtpMailException failure)
        {
            return new WebhookSendResult(false, null, failure.Message, Elapsed(started), CircuitOpen: false);
        }

        return new WebhookSendResult(true, null, null, Elapsed(started), CircuitOpen: false);
    }

    private static MimeMessage Compose(string address, WebhookDelivery notice, string link, DateTimeOffset expires)
    {
        using var body = JsonDocument.Parse(notice.Body);
        var data = body.RootElement.GetProperty("data");
        var requestId = data.GetProperty("requestId").GetString();
        var subjects = string.Join(", ", data.GetProperty("subjectIds").EnumerateArray().Select(s => s.GetString()));
        var until = expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var categories = notice.Type == WebhookEventTypes.RectificationNotice
            ? string.Empty
            : string.Join(", ", data.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        var (subject, text) = notice.Type switch
        {
            WebhookEventTypes.ErasureNotice => ("Poistoilmoitus / Erasure notice", $"""
              Hei,

              rekisteröity on pyytänyt tietojensa poistamista (EU:n tietosuoja-asetus, 17 ja 19 artikla). Poistakaa
              teille luovutetut tiedot ja vahvistakaa poisto alla olevasta linkistä.

              Ilmoitus: {notice.Id}
              Pyyntö: {requestId}
              Rekisteröidyn tunniste: {subjects}
              Tietoryhmät: {categories}

              Vahvista poisto: {link}
              Linkki on kertakäyttöinen ja voimassa {until} asti.

              --

              Hello,

              a data subject has asked for their data to be erased (GDPR Articles 17 and 19). Please erase the data
              disclosed to you and confirm the erasure with the link below.

              Notice: {notice.Id}
              Request: {requestId}
              Subject id: {subjects}
              Categories: {categories}

              Confirm the erasure: {link}
              The link works once, until {until}.
              """),
            WebhookEventTypes.RestrictionNotice => ("Käsittelyn rajoittaminen / Restriction notice", $"""
              Hei,

              rekisteröidyn tietojen käsittelyä on rajoitettu (EU:n tietosuoja-asetus, 18 ja 19 artikla). Säilyttäkää
              teille luovutetut tiedot, mutta älkää käsitelkö niitä muuten ennen kuin ilmoitamme rajoituksen
              poistamisesta. Vahvistakaa rajoitus alla olevasta linkistä.

              Ilmoitus: {notice.Id}
              Pyyntö: {requestId}
              Rekisteröidyn tunniste: {subjects}
              Rajoitetut tietoryhmät: {categories}

              Vahvista rajoitus: {link}
              Linkki on kertakäyttöinen ja voimassa {until} asti.

              --

              Hello,

              the processing of a data subject's data is restricted (GDPR Articles 18 and 19). Please keep the data
              disclosed to you but do not otherwise process it until we tell you the restriction is lifted, and confirm
              the restriction with the link below.

              Notice: {notice.Id}
              Request: {requestId}
              Subject id: {subjects}
              Restricted categories: {categories}

              Confirm the restriction: {link}
              The link works once, until {until}.
              """),
            WebhookEventTypes.RestrictionLiftedNotice => ("Rajoitus poistettu / Restriction lifted", $"""
              Hei,

              rekisteröidyn tietojen käsittelyn rajoitus, josta ilmoitimme aiemmin, on poistettu (EU:n tietosuoja-asetus,
              18 artiklan 3 kohta ja 19 artikla). Teille luovutettuja tietoja saa jälleen käsitellä sovitusti.
              Vahvistakaa ilmoitus alla olevasta linkistä.

              Ilmoitus: {notice.Id}
              Pyyntö: {requestId}
              Rekisteröidyn tunniste: {subjects}
              Tietoryhmät: {categories}

              Vahvista: {link}
              Linkki on kertakäyttöinen ja voimassa {until} asti.

              --

              Hello,

              the restriction of processing of a data subject's data that we told you of is lifted (GDPR Articles 18(3)
              and 19). The data disclosed to you may be processed again as agreed. Please confirm with the link below.

              Notice: {notice.Id}
              Request: {requestId}
              Subject id: {subjects}
              Categories: {categories}

              Confirm: {link}
              The link works once, until {until}.
              """),
            _ => ("Oikaisuilmoitus / Rectification notice", $"""
              Hei,

              rekisteröidyn tietoja on oikaistu (EU:n tietosuoja-asetus, 16 ja 19 artikla). Oikaiskaa teille luovutetut
              tiedot ja vahvistakaa oikaisu alla olevasta linkistä.

              Ilmoitus: {notice.Id}
              Pyyntö: {requestId}
              Rekisteröidyn tunniste: {subjects}
              Oikaisut:
              {Corrections(data)}

              Vahvista oikaisu: {link}
              Linkki on kertakäyttöinen ja voimassa {until} asti.

              --

              Hello,

              a data subject's data has been corrected (GDPR Articles 16 and 19). Please correct the data disclosed to
              you and confirm with the link below.

              Notice: {notice.Id}
              Request: {requestId}
              Subject id: {subjects}
              Corrections:
              {Corrections(data)}

              Confirm the correction: {link}
              The link works once, until {until}.
              """),
        };

        var message = new MimeMessage
        {
            Subject = subject,
            Body = new TextPart("plain") { Text = text },
        };
        message.To.Add(MailboxAddress.Parse(address));
        message.Headers.Add(NoticeIdHeader, notice.Id.ToString());
        return message;
    }

    private static string Corrections(JsonElement data) => string.Join("\n", data.GetProperty("corrections").EnumerateArray()
        .Select(c => $"  {c.GetProperty("field").GetString()}: {c.GetProperty("value").GetString()}"));

    private int Elapsed(long started) => (int)clock.GetElapsedTime(started).TotalMilliseconds;
}
