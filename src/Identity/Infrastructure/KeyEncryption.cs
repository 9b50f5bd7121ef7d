using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Procexon.Identity.Infrastructure;

/// <summary>
/// The keys derived from <c>Identity:KeyEncryptionKey</c> (HKDF-SHA256, one label per purpose): one encrypts the signing
/// keys' private parts at rest (AES-256-GCM, bound to the key id), one the ASP.NET Core Data Protection key ring (which
/// protects the sign-in and antiforgery cookies) at rest, and one encrypts the tokens only this service reads
/// (authorization codes, refresh tokens), so those survive a restart without a key of their own in the database.
/// </summary>
public sealed class KeyEncryption
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] KeyRingPurpose = "data-protection key ring"u8.ToArray();
    private readonly byte[] _signingKeyProtection;
    private readonly byte[] _keyRingProtection;

    public KeyEncryption(IOptions<IdentityProviderOptions> options)
    {
        var secret = options.Value.KeyEncryptionKey;
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new InvalidOperationException("Identity:KeyEncryptionKey is missing: the signing keys cannot be protected without it.");
        }

        var material = Encoding.UTF8.GetBytes(secret);
        _signingKeyProtection = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "procexon-identity signing keys v1"u8.ToArray());
        _keyRingProtection = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "procexon-identity data protection keys v1"u8.ToArray());
        TokenEncryptionKey = new SymmetricSecurityKey(
            HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "procexon-identity token encryption v1"u8.ToArray()))
        {
            KeyId = "token-encryption-v1",
        };
    }

    public SymmetricSecurityKey TokenEncryptionKey { get; }

    public byte[] Protect(ReadOnlySpan<byte> privateKey, string keyId) => Seal(_signingKeyProtection, privateKey, Encoding.UTF8.GetBytes(keyId));

    /// <summary>Throws <see cref="AuthenticationTagMismatchException"/> under a different key-encryption key.</summary>
    public byte[] Unprotect(byte[] protectedKey, string keyId) => Open(_signingKeyProtection, protectedKey, Encoding.UTF8.GetBytes(keyId));

    /// <summary>A Data Protection key's XML, sealed for the database.</summary>
    public byte[] ProtectKeyRingEntry(ReadOnlySpan<byte> xml) => Seal(_keyRingProtection, xml, KeyRingPurpose);

    public byte[] UnprotectKeyRingEntry(byte[] sealedXml) => Open(_keyRingProtection, sealedXml, KeyRingPurpose);

    private static byte[] Seal(byte[] key, ReadOnlySpan<byte> clear, byte[] associatedData)
    {
        var result = new byte[NonceSize + TagSize + clear.Length];
        var nonce = result.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, clear, result.AsSpan(NonceSize + TagSize), result.AsSpan(NonceSize, TagSize), associatedData);
        return result;
    }

    private static byte[] Open(byte[] key, byte[] sealedValue, byte[] associatedData)
    {
        var clear = new byte[sealedValue.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedValue.AsSpan(0, NonceSize), sealedValue.AsSpan(NonceSize + TagSize), sealedValue.AsSpan(NonceSize, TagSize),
            clear, associatedData);
        return clear;
    }
}
