namespace Procexon.DisclosureLog.Model;

/// <summary>
/// Configuration section <c>DisclosureLog:Email</c>: which recipients are mailed their notices, and the gateway's public
/// address the confirmation links in those mails point at. The SMTP server is <c>ConnectionStrings:mail</c> and <c>Mail</c>.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "DisclosureLog:Email";

    /// <summary>The gateway as the recipient's browser reaches it (the tokens' issuer), e.g. <c>https://tietosuoja.example.fi</c>.</summary>
    public string? PublicAddress { get; set; }

    /// <summary>
    /// The e-mail recipients by slug and their address, given by the deployment (the AppHost in Development): each takes
    /// the <c>email</c> channel with this address at start.
    /// </summary>
    public Dictionary<string, string> Recipients { get; set; } = new(StringComparer.Ordinal);
}
