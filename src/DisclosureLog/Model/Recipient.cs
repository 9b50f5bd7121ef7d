namespace Procexon.DisclosureLog.Model;

/// <summary>
/// Someone personal data is disclosed to, as the privacy notice names them: processors, controllers in their own
/// right, authorities, group companies, and the company's own staff.
/// </summary>
public sealed class Recipient
{
    /// <summary>A stable, URL-safe name: accounting-firm, finago, verkko24, …</summary>
    public required string Slug { get; init; }

    public required string NameFi { get; set; }

    public required string NameEn { get; set; }

    /// <summary>One of <see cref="RecipientRoles.All"/>.</summary>
    public required string Role { get; set; }

    public required string DescriptionFi { get; set; }

    public required string DescriptionEn { get; set; }

    /// <summary>How notices reach the recipient: one of <see cref="RecipientChannels.All"/>.</summary>
    public required string Channel { get; set; }

    /// <summary>Where the recipient processes the data, as an ISO 3166-1 alpha-2 code.</summary>
    public required string Country { get; set; }

    /// <summary>Whether data reach servers outside the EU/EEA (GDPR Chapter V), which then needs a safeguard.</summary>
    public required bool OutsideEuEea { get; set; }

    /// <summary>The transfer safeguard (adequacy decision, standard contractual clauses, …), when there is a transfer.</summary>
    public string? SafeguardFi { get; set; }

    public string? SafeguardEn { get; set; }

    /// <summary>Whether an erasure is passed on to this recipient (GDPR Art 19); staff and authorities are not told.</summary>
    public required bool ReceivesErasureNotices { get; set; }

    /// <summary>The data categories the recipient may receive (basic-data, payroll, …).</summary>
    public required List<string> Categories { get; set; }

    /// <summary>The order of the seed file, which follows the notice.</summary>
    public required int Position { get; init; }

    /// <summary>Where a <see cref="RecipientChannels.Webhook"/> recipient receives its events (https in a deployment).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>
    /// The Standard Webhooks signing secret (<c>whsec_</c> and base64) shared with the recipient; encrypted at rest
    /// (<see cref="DisclosureLogProtection"/>), never shown by the API.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// Where an <see cref="RecipientChannels.Email"/> recipient is mailed its notices; encrypted at rest like the webhook
    /// secret, since a person's work address is personal data too.
    /// </summary>
    public string? EmailAddress { get; set; }

    /// <summary>
    /// The secret <see cref="WebhookSecret"/> replaced, still signing beside it until <see cref="PreviousWebhookSecretSignsUntil"/>
    /// so the recipient can switch without refusing a notice; encrypted at rest like the current one.
    /// </summary>
    public string? PreviousWebhookSecret { get; set; }

    public DateTimeOffset? PreviousWebhookSecretSignsUntil { get; set; }

    /// <summary>
    /// When a privacy officer last set the channel through the API, and who (the token's actor); null while the channel is
    /// the seed's or the deployment's. Once set, configuration no longer changes the channel at start: the officer's wins.
    /// </summary>
    public DateTimeOffset? ChannelSetAt { get; set; }

    public string? ChannelSetBy { get; set; }

    /// <summary>
    /// Moves the recipient to <paramref name="channel"/> with what that channel needs, dropping what the old one kept (an
    /// address or a secret not in use is not kept). Returns the secret generated when the recipient comes to the webhook
    /// channel without one, the only time it is shown; a URL change on the webhook channel keeps the secret.
    /// </summary>
    public string? SetChannel(string channel, string? webhookUrl, string? emailAddress)
    {
        string? generated = null;
        if (channel == RecipientChannels.Webhook)
        {
            if (Channel != RecipientChannels.Webhook || WebhookSecret is null)
            {
                generated = WebhookSecrets.Generate();
                WebhookSecret = generated;
                PreviousWebhookSecret = null;
                PreviousWebhookSecretSignsUntil = null;
            }
        }
        else
        {
            WebhookSecret = null;
            PreviousWebhookSecret = null;
            PreviousWebhookSecretSignsUntil = null;
        }

        Channel = channel;
        WebhookUrl = channel == RecipientChannels.Webhook ? webhookUrl : null;
        EmailAddress = channel == RecipientChannels.Email ? emailAddress : null;
        return generated;
    }

    /// <summary>
    /// A new signing secret; the current one keeps signing beside it for <paramref name="overlap"/> (none when zero), so
    /// a notice sent meanwhile verifies under either.
    /// </summary>
    public void RotateWebhookSecret(string secret, DateTimeOffset now, TimeSpan overlap)
    {
        if (WebhookSecret == secret)
        {
            return;
        }

        if (WebhookSecret is { } current && overlap > TimeSpan.Zero)
        {
            PreviousWebhookSecret = current;
            PreviousWebhookSecretSignsUntil = now + overlap;
        }
        else
        {
            PreviousWebhookSecret = null;
            PreviousWebhookSecretSignsUntil = null;
        }

        WebhookSecret = secret;
    }

    /// <summary>The secrets a webhook sent at <paramref name="now"/> is signed with: the current one, then the previous one within its overlap.</summary>
    public IReadOnlyList<string> SigningSecretsAt(DateTimeOffset now) =>
        (WebhookSecret, PreviousWebhookSecret, PreviousWebhookSecretSignsUntil) switch
        {
            (null, _, _) => [],
            ({ } current, { } previous, { } until) when now < until => [current, previous],
            ({ } current, _, _) => [current],
        };
}

/// <summary>What a recipient is to the controller, as the platform spells it.</summary>
public static class RecipientRoles
{
    public const string Processor = "processor";
    public const string Controller = "controller";
    public const string Authority = "authority";
    public const string GroupCompany = "group-company";
    public const string Internal = "internal";

    public static IReadOnlyList<string> All { get; } = [Processor, Controller, Authority, GroupCompany, Internal];

    public static bool IsKnown(string value) => All.Contains(value, StringComparer.Ordinal);
}

/// <summary>
/// How disclosures and notices reach a recipient (DESIGN §12): <see cref="Amqp"/> sends them to the recipient's own
/// queue, <see cref="Webhook"/> posts them as signed CloudEvents to the recipient's URL, <see cref="Email"/> mails each
/// notice with a one-time confirmation link, <see cref="Staff"/> sends nothing and staff confirm by hand.
/// </summary>
public static class RecipientChannels
{
    /// <summary>A processor of ours reading its own queue, <see cref="RecipientQueues.Of"/>.</summary>
    public const string Amqp = "amqp";

    /// <summary>An HTTPS endpoint of the recipient's own, sent CloudEvents signed per Standard Webhooks.</summary>
    public const string Webhook = "webhook";

    /// <summary>Mailed each notice over SMTP, confirmed by the one-time link in the mail.</summary>
    public const string Email = "email";

    /// <summary>Told and confirmed by hand; nothing leaves the service.</summary>
    public const string Staff = "staff";

    public static IReadOnlyList<string> All { get; } = [Amqp, Webhook, Email, Staff];

    public static bool IsKnown(string value) => All.Contains(value, StringComparer.Ordinal);
}
