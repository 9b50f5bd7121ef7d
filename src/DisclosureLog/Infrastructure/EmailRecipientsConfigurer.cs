using Microsoft.Extensions.Options;
using MimeKit;
using Procexon.Messaging;
using Procexon.Messaging.Mail;

namespace Procexon.DisclosureLog.Infrastructure;

/// <summary>
/// Gives each recipient named under <c>DisclosureLog:Email:Recipients</c> the e-mail channel with its address (encrypted
/// at rest), at every start after the seed, as <see cref="WebhookRecipientsConfigurer"/> does for webhooks. A bad address,
/// no public address for the links, or no mail server stops the start, naming the setting.
/// </summary>
public sealed partial class EmailRecipientsConfigurer(
    IOptions<EmailOptions> options, IServiceProvider services, ILogger<EmailRecipientsConfigurer> logger)
    : IDatabaseSeeder<DisclosureLogContext>
{
    public async Task SeedAsync(DisclosureLogContext db, CancellationToken cancellationToken)
    {
        if (options.Value.Recipients.Count == 0)
        {
            return;
        }

        if (services.GetService<SmtpMailer>() is null)
        {
            throw new InvalidOperationException(
                $"{EmailOptions.Section}:Recipients needs a mail server: ConnectionStrings:{SmtpMailSettings.ConnectionName} and {SmtpMailSettings.Section}:From.");
        }

        if (!IsPublicAddress(options.Value.PublicAddress))
        {
            throw new InvalidOperationException($"{EmailOptions.Section}:PublicAddress must be the gateway's absolute http(s) address, for the confirmation links.");
        }

        foreach (var (slug, address) in options.Value.Recipients)
        {
            var recipient = await db.Recipients.SingleOrDefaultAsync(r => r.Slug == slug, cancellationToken)
                ?? throw new InvalidOperationException($"{EmailOptions.Section}:Recipients names '{slug}', which is no recipient.");
            recipient.Channel = RecipientChannels.Email;
            recipient.EmailAddress = AddressOf(slug, address);
            LogConfigured(logger, slug);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The bare address of one configured recipient; anything but one address stops the start, naming the setting.</summary>
    public static string AddressOf(string slug, string? address)
    {
        // One mailbox, no display name or list: what is stored is exactly where the mail goes.
        if (!MailboxAddress.TryParse(address, out var mailbox) || mailbox.Address != address?.Trim()
            || mailbox.Address.IndexOf('@', StringComparison.Ordinal) is <= 0 || mailbox.Address.EndsWith('@'))
        {
            throw new InvalidOperationException($"{EmailOptions.Section}:Recipients:{slug} must be one e-mail address (someone@example.fi).");
        }

        return mailbox.Address;
    }

    public static bool IsPublicAddress(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    // The slug only: the address is personal data.
    [LoggerMessage(Level = LogLevel.Information, Message = "Recipient {Recipient} is reached by e-mail")]
    private static partial void LogConfigured(ILogger logger, string recipient);
}
