using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Procexon.Identity.Infrastructure;
using Procexon.Identity.Model;
using Procexon.Messaging.Encryption;

namespace Procexon.Identity.Tests;

/// <summary>Rotating <c>Identity:KeyEncryptionKey</c>: the retired secret moves to <c>Identity:PreviousKeyEncryptionKeys</c> and still reads what it protected.</summary>
public sealed class KeyEncryptionTests
{
    private const string OldSecret = "the-first-key-encryption-key-0123456789abc";
    private const string NewSecret = "the-rotated-key-encryption-key-0123456789ab";

    [Fact]
    public void A_retired_key_encryption_key_still_reads_the_signing_keys_and_key_ring_it_protected()
    {
        var privateKey = RandomNumberGenerator.GetBytes(64);
        var old = Encryption(OldSecret);
        var signingKey = old.Protect(privateKey, "key-1");
        var keyRingEntry = new KeyRingSeal(old.KeyRing).Seal("<key/>"u8);

        var rotated = Encryption(NewSecret, OldSecret);

        Assert.Equal(privateKey, rotated.Unprotect(signingKey, "key-1"));
        Assert.Equal("<key/>"u8.ToArray(), new KeyRingSeal(rotated.KeyRing).Open(keyRingEntry));
        // Bound to the signing key's id, and unreadable once the retired secret is gone.
        Assert.ThrowsAny<CryptographicException>(() => rotated.Unprotect(signingKey, "key-2"));
        var error = Assert.ThrowsAny<CryptographicException>(() => Encryption(NewSecret).Unprotect(signingKey, "key-1"));
        Assert.Contains("Identity:PreviousKeyEncryptionKeys", error.Message, StringComparison.Ordinal);
        // What the rotated key writes, the old one cannot read.
        Assert.ThrowsAny<CryptographicException>(() => old.Unprotect(rotated.Protect(privateKey, "key-3"), "key-3"));
    }

    [Fact]
    public void The_encryption_of_tokens_kept_in_clear_runs_before_a_migration_the_provider_has_and_covers_the_encrypted_column()
    {
        var protection = new UserTokenProtection(NewSecret);
        using var db = new IdentityContext(new DbContextOptionsBuilder<IdentityContext>()
            .UseNpgsql("Host=localhost;Database=identitydb").UseSnakeCaseNamingConvention().UseOpenIddict().UseColumnEncryption(protection).Options);

        // A name that matched no migration would skip the upgrade, and the migration after it would refuse to run.
        Assert.Contains(new EncryptClearUserTokens(protection).BeforeMigration, db.Database.GetMigrations());
        var tokens = Assert.Single(EncryptedColumns.Tables(db.Model));
        Assert.Equal(("user_tokens", "value_encrypted"), (tokens.Table, Assert.Single(tokens.Columns)));
        Assert.Equal(["user_id", "login_provider", "name"], tokens.Key);
    }

    private static KeyEncryption Encryption(string secret, params string[] previous) =>
        new(Options.Create(new IdentityProviderOptions { KeyEncryptionKey = secret, PreviousKeyEncryptionKeys = [.. previous] }));
}
