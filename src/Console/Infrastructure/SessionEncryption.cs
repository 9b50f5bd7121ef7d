using Procexon.Messaging.Encryption;

namespace Procexon.Console.Infrastructure;

/// <summary>
/// The keys derived from <c>Console:SessionKey</c> (one per purpose): one seals each stored session's ticket, whose
/// tokens would let anyone who read the table act as its user; one seals the Data Protection key ring. A retired secret
/// in <c>Console:PreviousSessionKeys</c> still reads what it sealed.
/// </summary>
public sealed class SessionEncryption
{
    public const string Setting = "Console:SessionKey";
    public const string PreviousSetting = "Console:PreviousSessionKeys";

    public SessionEncryption(IConfiguration configuration)
    {
        var (secret, previous) = ColumnEncryption.ReadSecrets(configuration, Setting, PreviousSetting, "seals the console's signed-in sessions and its key ring");
        Sessions = new ColumnEncryption(Setting, PreviousSetting, "procexon-console sessions v1", secret, previous);
        KeyRing = new ColumnEncryption(Setting, PreviousSetting, "procexon-console data protection keys v1", secret, previous);
    }

    public ColumnEncryption Sessions { get; }

    public ColumnEncryption KeyRing { get; }
}
