namespace Procexon.DisclosureLog.Model;

/// <summary>
/// Configuration section <c>DisclosureLog:Email</c>: which recipients are mailed their notices. The SMTP server is
/// <c>ConnectionStrings:mail</c> and <c>Mail</c>; the links in the mails point at <see cref="PublicAddress"/>.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "DisclosureLog:Email";

    /// <summary>
    /// The e-mail recipients by slug and their address, given by the deployment (the AppHost in Development): each takes
    /// the <c>email</c> channel with this address at start, unless a privacy officer has set its channel since (<see cref="RecipientChannelsConfigurer"/>).
    /// </summary>
    public Dictionary<string, string> Recipients { get; set; } = new(StringComparer.Ordinal);
}
