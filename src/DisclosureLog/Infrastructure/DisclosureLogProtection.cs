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

    public static DisclosureLogProtection FromConfiguration(IConfiguration configuration)
    {
        var (secret, previous) = ReadSecrets(configuration, KeySetting, PreviousKeysSetting,
            "encrypts webhook recipients' signing secrets and the events waiting for delivery at rest");
        return new DisclosureLogProtection(secret, previous);
    }
}
