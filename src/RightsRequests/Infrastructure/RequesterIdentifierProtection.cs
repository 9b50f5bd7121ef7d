
using Procexon.Messaging;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>
/// How a request keeps its requester's identifiers (and the registry's identifiers and records it is answered with) at
/// rest: <see cref="ColumnEncryption"/> under <c>RightsRequests:IdentifierKey</c>, retired keys in
/// <c>RightsRequests:PreviousIdentifierKeys</c> (docs/security.md, "Keys").
/// </summary>
public sealed class RequesterIdentifierProtection(string secret, IEnumerable<string>? previousSecrets = null)
    : ColumnEncryption(KeySetting, PreviousKeysSetting, "procexon/rightsrequests/identifier-aes-gcm/v1", secret, previousSecrets)
{
    public const string KeySetting = "RightsRequests:IdentifierKey";
    public const string PreviousKeysSetting = "RightsRequests:PreviousIdentifierKeys";
    private const string RequestsTable = "rights_requests";

    /// <summary>Reads and checks the keys; a missing or short key stops the service at start with the setting's name.</summary>
    public static RequesterIdentifierProtection FromConfiguration(IConfiguration configuration)
    {
        var (secret, previous) = ReadSecrets(configuration, KeySetting, PreviousKeysSetting, "encrypts requesters' identifiers at rest");
        return new RequesterIdentifierProtection(secret, previous);
    }

    /// <summary>A value of a <c>rights_requests</c> column.</summary>
    public byte[] Encrypt(string column, string plain) => Encrypt(RequestsTable, column, plain);

    public string Decrypt(string column, byte[] sealedValue) => Decrypt(RequestsTable, column, sealedValue);
}

/// <summary>
/// Encrypts the corrections of requests written before they were encrypted, at start, before the migration
/// DropClearCorrections drops the clear column (<see cref="EncryptedColumnRewriter"/>).
/// </summary>
public sealed class EncryptClearCorrections(RequesterIdentifierProtection protection) : IKeyedDataUpgrade<RightsRequestsContext>
{
    public string BeforeMigration => "20261204035210_DropClearCorrections";

    public Task UpgradeAsync(RightsRequestsContext db, CancellationToken cancellationToken) =>
        EncryptedColumnRewriter.EncryptClearAsync(db, protection, "rights_requests", [new("corrections", "corrections_encrypted")], cancellationToken);
}
