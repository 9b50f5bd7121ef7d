using System.Security.Cryptography;
using Procexon.Messaging;

namespace Procexon.Registry.Infrastructure;

/// <summary>
/// Runs with the migration, before the service listens: writes the key check into a new database, and in an existing
/// one stops the start with a clear message when <c>Registry:IdentifierKey</c> is not the key the hashes were made
/// with, or neither <c>Registry:IdentifierEncryptionKey</c> nor a previous key can read what was encrypted.
/// </summary>
public sealed class IdentifierKeyVerifier(IdentifierProtection protection, TimeProvider clock, ILogger<IdentifierKeyVerifier> logger)
    : IDatabaseSeeder<RegistryContext>
{
    public const string Table = "identifier_key_checks";
    public const string CiphertextColumn = "encryption_key_ciphertext";

    public async Task SeedAsync(RegistryContext db, CancellationToken cancellationToken)
    {
        var expectedHash = protection.Hash(IdentifierKind.CustomerNumber, IdentifierKeyCheck.Probe);
        var check = await db.IdentifierKeyChecks.SingleOrDefaultAsync(c => c.Id == IdentifierKeyCheck.SingletonId, cancellationToken);
        if (check is null)
        {
            db.IdentifierKeyChecks.Add(new IdentifierKeyCheck
            {
                Id = IdentifierKeyCheck.SingletonId,
                IdentifierKeyHash = expectedHash,
                EncryptionKeyCiphertext = protection.Encrypt(Table, CiphertextColumn, IdentifierKeyCheck.Probe),
                CreatedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        if (!CryptographicOperations.FixedTimeEquals(check.IdentifierKeyHash, expectedHash))
        {
            var retired = protection.RetiredHashers.FirstOrDefault(h =>
                CryptographicOperations.FixedTimeEquals(check.IdentifierKeyHash, h.Hash(IdentifierKind.CustomerNumber, IdentifierKeyCheck.Probe)))
                ?? throw new InvalidOperationException(
                    $"{IdentifierProtection.IdentifierKeySetting} is not the key this registry's identifiers were hashed with, nor is any of "
                    + $"{IdentifierProtection.PreviousIdentifierKeysSetting} (the key check written on {check.CreatedAt:yyyy-MM-dd} does not match): "
                    + "no subject could be found. Start with the original key, or give it as a previous key to rotate.");
            await LookupKeyRotation.RotateAsync(db, retired, logger, cancellationToken);
            check = await db.IdentifierKeyChecks.SingleAsync(c => c.Id == IdentifierKeyCheck.SingletonId, cancellationToken);
        }
        else
        {
            await LookupKeyRotation.ForgetUnconfiguredAsync(db, logger, cancellationToken);
        }

        try
        {
            _ = protection.Decrypt(Table, CiphertextColumn, check.EncryptionKeyCiphertext);
        }
        catch (CryptographicException)
        {
            throw new InvalidOperationException(
                $"Neither {IdentifierProtection.EncryptionKeySetting} nor any of {IdentifierProtection.PreviousEncryptionKeysSetting} is the key this registry's "
                + $"identifiers were encrypted with (the key check written on {check.CreatedAt:yyyy-MM-dd} does not decrypt): no identifier could be read. "
                + "Start with the original key, or give it as a previous key.");
        }

        if (!protection.IsCurrent(check.EncryptionKeyCiphertext))
        {
            // A rotation: the check follows the current key, as every value does once rewritten (IdentifierRewrap).
            check.EncryptionKeyCiphertext = protection.Encrypt(Table, CiphertextColumn, IdentifierKeyCheck.Probe);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
