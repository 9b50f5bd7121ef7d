using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Procexon.Messaging.Encryption;

namespace Procexon.Identity.Infrastructure;

/// <summary>
/// The keys derived from <c>Identity:KeyEncryptionKey</c> (HKDF-SHA256, one label per purpose): one encrypts the signing
/// keys' private parts at rest (bound to the key id), one the ASP.NET Core Data Protection key ring (which protects the
/// sign-in and antiforgery cookies) at rest, both as <see cref="ColumnEncryption"/> values that carry their key's id, so
/// a retired secret in <c>Identity:PreviousKeyEncryptionKeys</c> still reads what it wrote; and one encrypts the tokens
/// only this service reads (authorization codes, refresh tokens), so those survive a restart without a key of their own
/// in the database.
/// </summary>
public sealed class KeyEncryption
{
    private const string Setting = UserTokenProtection.KeySetting;
    private const string PreviousSetting = UserTokenProtection.PreviousKeysSetting;
    private readonly ColumnEncryption _signingKeys;
    private readonly ColumnEncryption _keyRing;

    public KeyEncryption(IOptions<IdentityProviderOptions> options)
    {
        var secret = options.Value.KeyEncryptionKey;
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new InvalidOperationException($"{Setting} is missing: the signing keys cannot be protected without it.");
        }

        var previous = options.Value.PreviousKeyEncryptionKeys;
        _signingKeys = new ColumnEncryption(Setting, PreviousSetting, "procexon-identity signing keys v1", secret, previous);
        _keyRing = new ColumnEncryption(Setting, PreviousSetting, "procexon-identity data protection keys v1", secret, previous);
        TokenEncryptionKey = new SymmetricSecurityKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32,
            info: "procexon-identity token encryption v1"u8.ToArray()))
        {
            KeyId = "token-encryption-v1",
        };
    }

    public SymmetricSecurityKey TokenEncryptionKey { get; }

    public byte[] Protect(ReadOnlySpan<byte> privateKey, string keyId) => _signingKeys.Seal(privateKey, Encoding.UTF8.GetBytes(keyId));

    /// <summary>Throws <see cref="CryptographicException"/> under a key-encryption key that is neither current nor previous.</summary>
    public byte[] Unprotect(byte[] protectedKey, string keyId) => _signingKeys.Open(protectedKey, Encoding.UTF8.GetBytes(keyId), $"signing key {keyId}");

    /// <summary>What the Data Protection key ring is sealed under for the database (<see cref="KeyRingSeal"/>).</summary>
    public ColumnEncryption KeyRing => _keyRing;
}
