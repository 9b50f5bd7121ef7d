using Procexon.Messaging;
using Procexon.Messaging.Encryption;

namespace Procexon.Identity.Infrastructure;

/// <summary>
/// ASP.NET Core Identity's per-user tokens at rest (<c>user_tokens</c>: the authenticator app's shared TOTP key and the
/// unused recovery codes), encrypted under a key derived from <c>Identity:KeyEncryptionKey</c>: someone who reads the
/// database cannot generate a user's second-factor codes. The tokens are found by user, provider and name, never by
/// value, so an EF converter is all it takes.
/// </summary>
public sealed class UserTokenProtection(string secret, IEnumerable<string>? previousSecrets = null)
    : ColumnEncryption(KeySetting, PreviousKeysSetting, "procexon-identity user tokens v1", secret, previousSecrets)
{
    public const string KeySetting = "Identity:KeyEncryptionKey";
    public const string PreviousKeysSetting = "Identity:PreviousKeyEncryptionKeys";
    public const string Table = "user_tokens";
    public const string Column = "value_encrypted";

    public static UserTokenProtection FromConfiguration(IConfiguration configuration)
    {
        var (secret, previous) = ReadSecrets(configuration, KeySetting, PreviousKeysSetting, "encrypts the signing keys, the cookie keys and the users' authenticator keys at rest");
        return new UserTokenProtection(secret, previous);
    }
}

/// <summary>
/// Encrypts the tokens an identity provider kept in clear before they were encrypted, at start, before the migration
/// DropClearUserTokens drops the clear column (<see cref="EncryptedColumnRewriter"/>).
/// </summary>
public sealed class EncryptClearUserTokens(UserTokenProtection protection) : IKeyedDataUpgrade<IdentityContext>
{
    public string BeforeMigration => "20261204031001_DropClearUserTokens";

    public Task UpgradeAsync(IdentityContext db, CancellationToken cancellationToken) =>
        EncryptedColumnRewriter.EncryptClearAsync(db, protection, UserTokenProtection.Table, [new("value", UserTokenProtection.Column)],
            cancellationToken, key: ["user_id", "login_provider", "name"]);
}
