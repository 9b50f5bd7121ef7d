using System.Security.Cryptography;
using System.Text;
using Procexon.Messaging;

namespace Procexon.Registry.Infrastructure;

/// <summary>
/// Encrypts what a registry wrote before every identifier was encrypted: e-mail, phone, business id and customer number
/// in clear, and identity codes in the first format (no key id, not bound to their column). Runs at start, between the
/// migrations EncryptedIdentifiers and DropClearIdentifiers (<see cref="EncryptedColumnRewriter"/>).
/// </summary>
public sealed class EncryptClearIdentifiers(IdentifierProtection protection, IConfiguration configuration) : IKeyedDataUpgrade<RegistryContext>
{
    public string BeforeMigration => "20261204024659_DropClearIdentifiers";

    public async Task UpgradeAsync(RegistryContext db, CancellationToken cancellationToken)
    {
        // The identity codes' first format was keyed by the same secret under another purpose; a rotation may have
        // moved that secret among the previous keys.
        var (secret, previous) = ColumnEncryption.ReadSecrets(configuration, IdentifierProtection.EncryptionKeySetting,
            IdentifierProtection.PreviousEncryptionKeysSetting, "encrypts the subjects' identifiers at rest");
        var firstFormat = new FirstHetuFormat([secret, .. previous]);

        await EncryptKeyCheckAsync(db, firstFormat, cancellationToken);
        await EncryptedColumnRewriter.EncryptClearAsync(db, protection, SubjectIdentifierColumns.Table,
        [
            new("email", "email_encrypted"),
            new("phone", "phone_encrypted"),
            new("business_id", "business_id_encrypted"),
            new("customer_number", "customer_number_encrypted"),
            new("hetu_encrypted_v1", "hetu_encrypted", stored => firstFormat.TryDecrypt((byte[])stored)
                ?? throw new InvalidOperationException(
                    $"An identity code does not decrypt with {IdentifierProtection.EncryptionKeySetting} or any previous key: it cannot be encrypted anew.")),
        ], cancellationToken);
    }

    private async Task EncryptKeyCheckAsync(RegistryContext db, FirstHetuFormat firstFormat, CancellationToken cancellationToken)
    {
        var old = await db.Database.SqlQuery<byte[]>(
            $"SELECT hetu_key_ciphertext AS \"Value\" FROM identifier_key_checks WHERE encryption_key_ciphertext IS NULL").ToListAsync(cancellationToken);
        if (old.Count == 0)
        {
            return;
        }

        if (firstFormat.TryDecrypt(old[0]) != IdentifierKeyCheck.Probe)
        {
            throw new InvalidOperationException(
                $"Neither {IdentifierProtection.EncryptionKeySetting} nor any of {IdentifierProtection.PreviousEncryptionKeysSetting} is the key this "
                + "registry's identity codes were encrypted with (formerly Registry:HetuKey): they cannot be encrypted anew. Start with that key.");
        }

        var check = protection.Encrypt(IdentifierKeyVerifier.Table, IdentifierKeyVerifier.CiphertextColumn, IdentifierKeyCheck.Probe);
        await db.Database.ExecuteSqlAsync($"UPDATE identifier_key_checks SET encryption_key_ciphertext = {check}", cancellationToken);
    }

    /// <summary>The identity codes' first format: version (1) | nonce (12) | tag (16) | ciphertext, under a key of its own purpose.</summary>
    private sealed class FirstHetuFormat(IEnumerable<string> secrets)
    {
        private readonly byte[][] _keys = [.. secrets.Select(secret => HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32,
            info: "procexon/registry/hetu-aes-gcm/v1"u8.ToArray()))];

        public string? TryDecrypt(byte[] sealedValue)
        {
            if (sealedValue.Length < 1 + 12 + 16 || sealedValue[0] != 1)
            {
                return null;
            }

            var plain = new byte[sealedValue.Length - 1 - 12 - 16];
            foreach (var key in _keys)
            {
                try
                {
                    using var aes = new AesGcm(key, 16);
                    aes.Decrypt(sealedValue.AsSpan(1, 12), sealedValue.AsSpan(1 + 12 + 16), sealedValue.AsSpan(1 + 12, 16), plain);
                    return Encoding.ASCII.GetString(plain);
                }
                catch (AuthenticationTagMismatchException)
                {
                }
            }

            return null;
        }
    }
}
