using Microsoft.Extensions.Options;
using Procexon.Messaging;
using Procexon.Messaging.Mail;

namespace Procexon.DisclosureLog.Infrastructure;

/// <summary>
/// The channels the deployment gives (the AppHost in Development), applied at every start after the seed, one path for
/// every channel: <c>DisclosureLog:Webhooks:Recipients:{slug}</c> (<c>Url</c>, <c>Secret</c>) and
/// <c>DisclosureLog:Email:Recipients:{slug}</c> (the address), checked by the same <see cref="RecipientChannelRules"/>
/// as the privacy officer's API and stored the same way (<see cref="Recipient.SetChannel"/>; secret and address encrypted).
/// Precedence: configuration is the default, and a channel a privacy officer set through the API
/// (<see cref="Recipient.ChannelSetBy"/>) wins over it from then on, across restarts. A configured secret that differs
/// from the stored one is rotated in with the overlap, as an API rotation is. What changes is recorded as a
/// <see cref="RecipientChannelChange"/>. Anything wrong stops the start, naming the setting.
/// </summary>
public sealed partial class RecipientChannelsConfigurer(
    IOptions<WebhookOptions> webhooks,
    IOptions<EmailOptions> email,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<RecipientChannelsConfigurer> logger)
    : IDatabaseSeeder<DisclosureLogContext>
{
    public async Task SeedAsync(DisclosureLogContext db, CancellationToken cancellationToken)
    {
        var configured = Read(webhooks.Value, email.Value);
        if (configured.Any(c => c.Channel == RecipientChannels.Email) && services.GetService<SmtpMailer>() is null)
        {
            throw new InvalidOperationException(
                $"{EmailOptions.Section}:Recipients needs a mail server: ConnectionStrings:{SmtpMailSettings.ConnectionName} and {SmtpMailSettings.Section}:From.");
        }

        var now = clock.GetUtcNowToMicroseconds();
        foreach (var channel in configured)
        {
            var recipient = await db.Recipients.SingleOrDefaultAsync(r => r.Slug == channel.Slug, cancellationToken)
                ?? throw new InvalidOperationException($"{channel.Setting} names '{channel.Slug}', which is no recipient.");
            if (recipient.ChannelSetBy is not null)
            {
                LogOfficerWins(logger, channel.Slug, recipient.Channel);
                continue;
            }

            if (Apply(recipient, channel, now, webhooks.Value.SecretRotationOverlap) is { } change)
            {
                db.RecipientChannelChanges.Add(change);
                LogConfigured(logger, channel.Slug, channel.Channel);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>What one configured channel changes on the recipient, recorded; null when it already has it.</summary>
    private static RecipientChannelChange? Apply(Recipient recipient, ConfiguredChannel channel, DateTimeOffset now, TimeSpan overlap)
    {
        var secretBefore = recipient.WebhookSecret;
        var unchanged = recipient.Channel == channel.Channel && recipient.WebhookUrl == channel.WebhookUrl
            && recipient.EmailAddress == channel.EmailAddress && secretBefore == channel.WebhookSecret;
        if (unchanged)
        {
            return null;
        }

        // The generated secret is replaced at once: a configured recipient's secret is the one the deployment gave both ends.
        recipient.SetChannel(channel.Channel, channel.WebhookUrl, channel.EmailAddress);
        if (channel.WebhookSecret is { } secret)
        {
            recipient.WebhookSecret = secretBefore;
            recipient.RotateWebhookSecret(secret, now, overlap);
        }

        return RecipientChannelChange.Of(recipient, RecipientChannelChangeKinds.Configured, recipient.WebhookSecret != secretBefore, now,
            $"configuration ({channel.Setting})");
    }

    /// <summary>Every configured channel, checked; a recipient configured twice, a bad URL, secret or address stops the start.</summary>
    public static IReadOnlyList<ConfiguredChannel> Read(WebhookOptions webhooks, EmailOptions email)
    {
        var channels = new List<ConfiguredChannel>();
        foreach (var (slug, endpoint) in webhooks.Recipients)
        {
            var setting = $"{WebhookOptions.Section}:Recipients:{slug}";
            if (RecipientChannelRules.WebhookUrlProblem(endpoint.Url) is { } problem)
            {
                throw new InvalidOperationException($"{setting}:Url: {problem}");
            }

            if (!WebhookSecrets.IsSecret(endpoint.Secret))
            {
                throw new InvalidOperationException($"{setting}:Secret must be a Standard Webhooks secret: whsec_ and the base64 of 24 to 64 random bytes.");
            }

            channels.Add(new ConfiguredChannel(slug, setting, RecipientChannels.Webhook, endpoint.Url, endpoint.Secret, null));
        }

        foreach (var (slug, address) in email.Recipients)
        {
            var setting = $"{EmailOptions.Section}:Recipients:{slug}";
            if (channels.Any(c => c.Slug == slug))
            {
                throw new InvalidOperationException($"{setting}: the recipient is configured as a webhook recipient too; give it one channel.");
            }

            var mailbox = RecipientChannelRules.EmailAddressOf(address, out var problem)
                ?? throw new InvalidOperationException($"{setting}: {problem}");
            channels.Add(new ConfiguredChannel(slug, setting, RecipientChannels.Email, null, null, mailbox));
        }

        return channels;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recipient {Recipient} is reached by {Channel}, as configured")]
    private static partial void LogConfigured(ILogger logger, string recipient, string channel);

    // The slug only: the address is personal data.
    [LoggerMessage(Level = LogLevel.Information, Message = "Recipient {Recipient} keeps the {Channel} channel a privacy officer set; its configuration is not applied")]
    private static partial void LogOfficerWins(ILogger logger, string recipient, string channel);
}

/// <summary>One recipient's channel as the configuration gives it, with the setting that gave it.</summary>
public sealed record ConfiguredChannel(string Slug, string Setting, string Channel, string? WebhookUrl, string? WebhookSecret, string? EmailAddress);
