using Microsoft.Extensions.Options;
using Procexon.Messaging;

namespace Procexon.DisclosureLog.Infrastructure;

/// <summary>
/// Gives each recipient named under <c>DisclosureLog:Webhooks:Recipients</c> the webhook channel with its URL and secret,
/// at every start after the seed: the deployment (the AppHost in Development) knows where a processor listens and holds
/// its secret, the catalogue keeps them (the secret encrypted). A recipient no longer configured keeps what it has.
/// </summary>
public sealed partial class WebhookRecipientsConfigurer(IOptions<WebhookOptions> options, ILogger<WebhookRecipientsConfigurer> logger)
    : IDatabaseSeeder<DisclosureLogContext>
{
    public async Task SeedAsync(DisclosureLogContext db, CancellationToken cancellationToken)
    {
        foreach (var (slug, endpoint) in options.Value.Recipients)
        {
            var recipient = await db.Recipients.SingleOrDefaultAsync(r => r.Slug == slug, cancellationToken)
                ?? throw new InvalidOperationException($"{WebhookOptions.Section}:Recipients names '{slug}', which is no recipient.");
            Validate(slug, endpoint);
            recipient.Channel = RecipientChannels.Webhook;
            recipient.WebhookUrl = endpoint.Url;
            recipient.WebhookSecret = endpoint.Secret;
            LogConfigured(logger, slug);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A URL that is not http(s) or a secret that is not a Standard Webhooks secret stops the start, naming the setting.</summary>
    public static void Validate(string slug, WebhookEndpoint endpoint)
    {
        var setting = $"{WebhookOptions.Section}:Recipients:{slug}";
        if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"{setting}:Url must be an absolute http(s) URL.");
        }

        if (!IsSecret(endpoint.Secret))
        {
            throw new InvalidOperationException($"{setting}:Secret must be a Standard Webhooks secret: whsec_ and the base64 of 24 to 64 random bytes.");
        }
    }

    public static bool IsSecret(string? secret)
    {
        if (secret is null || !secret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            return false;
        }

        var bytes = new byte[64];
        return Convert.TryFromBase64String(secret["whsec_".Length..], bytes, out var length) && length >= 24;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recipient {Recipient} is reached by webhook")]
    private static partial void LogConfigured(ILogger logger, string recipient);
}
