using System.Security.Cryptography;
using Procexon.Messaging;

namespace Procexon.Registry.Infrastructure;

/// <summary>
/// Runs with the migration, before the service listens: writes the key check into a new database, and in an existing
/// one stops the start with a clear message when <c>Registry:IdentifierKey</c> or <c>Registry:HetuKey</c> is not
/// the key the data was written with.
/// </summary>
public sealed class IdentifierKeyVerifier(IdentifierProtection protection, TimeProvider clock) : IDatabaseSeeder<RegistryContext>
{
    public async Task SeedAsync(RegistryContext db, CancellationToken cancellationToken)
    {
        var expectedHash = protection.Hash(IdentifierKind.CustomerNumber, IdentifierKeyCheck.Probe);
        var check = await db.IdentifierKeyChecks.AsNoTracking().SingleOrDefaultAsync(c => c.Id == IdentifierKeyCheck.SingletonId, cancellationToken);
        if (check is null)
        {
            db.IdentifierKeyChecks.Add(new IdentifierKeyCheck
            {
                Id = IdentifierKeyCheck.SingletonId,
                IdentifierKeyHash = expectedHash,
                HetuKeyCiphertext = protection.EncryptHetu(IdentifierKeyCheck.Probe),
                CreatedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        if (!CryptographicOperations.FixedTimeEquals(check.IdentifierKeyHash, expectedHash))
        {
            throw new InvalidOperationException(
                $"{IdentifierProtection.IdentifierKeySetting} is not the key this registry's identifiers were hashed with "
                + $"(the key check written on {check.CreatedAt:yyyy-MM-dd} does not match): no subject could be found. Start with the original key.");
        }

        try
        {
            _ = protection.DecryptHetu(check.HetuKeyCiphertext);
        }
        catch (CryptographicException)
        {
            throw new InvalidOperationException(
                $"{IdentifierProtection.HetuKeySetting} is not the key this registry's identity codes were encrypted with "
                + $"(the key check written on {check.CreatedAt:yyyy-MM-dd} does not decrypt): no identity code could be read. Start with the original key.");
        }
    }
}
