using Procexon.Messaging;

namespace Procexon.Processors.AccountingFirm.Infrastructure;

/// <summary>
/// How the firm keeps the identifiers Procexon disclosed to it at rest: <see cref="ColumnEncryption"/> under
/// <c>AccountingFirm:IdentifierKey</c>, retired keys in <c>AccountingFirm:PreviousIdentifierKeys</c>. The firm finds
/// its clients by Procexon's subject id, so no identifier needs a searchable hash.
/// </summary>
public sealed class ClientIdentifierProtection(string secret, IEnumerable<string>? previousSecrets = null)
    : ColumnEncryption(KeySetting, PreviousKeysSetting, "procexon/accounting-firm/client-identifier-aes-gcm/v1", secret, previousSecrets)
{
    public const string KeySetting = "AccountingFirm:IdentifierKey";
    public const string PreviousKeysSetting = "AccountingFirm:PreviousIdentifierKeys";

    public static ClientIdentifierProtection FromConfiguration(IConfiguration configuration)
    {
        var (secret, previous) = ReadSecrets(configuration, KeySetting, PreviousKeysSetting, "encrypts the identifiers disclosed to the firm at rest");
        return new ClientIdentifierProtection(secret, previous);
    }
}

/// <summary>
/// Encrypts the copies the firm kept in clear before its identifiers were encrypted, at start, before the migration
/// DropClearClientIdentifiers drops the clear columns (<see cref="EncryptedColumnRewriter"/>).
/// </summary>
public sealed class EncryptClearClientIdentifiers(ClientIdentifierProtection protection) : IKeyedDataUpgrade<AccountingFirmContext>
{
    public string BeforeMigration => "20261204034001_DropClearClientIdentifiers";

    public Task UpgradeAsync(AccountingFirmContext db, CancellationToken cancellationToken) =>
        EncryptedColumnRewriter.EncryptClearAsync(db, protection, AccountingFirmContext.ClientRecordsTable,
        [
            new("email", "email_encrypted"),
            new("phone", "phone_encrypted"),
            new("customer_number", "customer_number_encrypted"),
            new("business_id", "business_id_encrypted"),
        ], cancellationToken);
}
