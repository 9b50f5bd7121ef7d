namespace Procexon.DisclosureLog.Infrastructure;

/// <summary>
/// What the disclosure log keeps at rest that it must read back: each webhook recipient's signing secret and the events
/// waiting for delivery (a disclosure or a rectification carries identifiers). <see cref="ColumnEncryption"/> under
/// <c>DisclosureLog:EncryptionKey</c>, retired keys in <c>DisclosureLog:PreviousEncryptionKeys</c>.
/// </summary>
public sealed class DisclosureLogProtection(string secret, IEnumerable<string>? previousSecrets = null)
    : ColumnEncryption(KeySetting, PreviousKeysSetting, "procexon/disclosurelog/webhook-aes-gcm/v1", secret, previousSecrets)
{
    public const string KeySetting = "DisclosureLog:EncryptionKey";
    public const string PreviousKeysSetting = "DisclosureLog:PreviousEncryptionKeys";

    /// <summary>What the key is for, as a missing or short key's error says.</summary>
    internal const string Use = "encrypts webhook recipients' signing secrets and the events waiting for delivery at rest, and keys the mailed confirmation links";

    public static DisclosureLogProtection FromConfiguration(IConfiguration configuration)
    {
        var (secret, previous) = ReadSecrets(configuration, KeySetting, PreviousKeysSetting, Use);
        return new DisclosureLogProtection(secret, previous);
    }
}
