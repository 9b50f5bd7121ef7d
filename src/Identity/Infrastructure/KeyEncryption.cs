using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Procexon.Identity.Infrastructure;

/// <summary>
/// The keys derived from <c>Identity:KeyEncryptionKey</c> (HKDF-SHA256, one label per purpose): one encrypts the signing
/// keys' private parts at rest (AES-256-GCM, bound to the key id), the other encrypts the tokens only this service reads
/// (authorization codes, refresh tokens), so those survive a restart without a key of their own in the database.
/// </summary>
public sealed class KeyEncryption
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _signingKeyProtection;

    public KeyEncryption(IOptions<IdentityProviderOptions> options)
    {
        var secret = options.Value.KeyEncryptionKey;
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new InvalidOperationException("Identity:KeyEncryptionKey is missing: the signing keys cannot be protected without it.");
        }

        var material = Encoding.UTF8.GetBytes(secret);
        _signingKeyProtection = HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "procexon-identity signing keys v1"u8.ToArray());
        TokenEncryptionKey = new SymmetricSecurityKey(
            HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "procexon-identity token encryption v1"u8.ToArray()))
        {
            KeyId = "token-encryption-v1",
        };
    }

    public SymmetricSecurityKey TokenEncryptionKey { get; }

    public byte[] Protect(ReadOnlySpan<byte> privateKey, string keyId)
    {
        var result = new byte[NonceSize + TagSize + privateKey.Length];
        var nonce = result.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_signingKeyProtection, TagSize);
        aes.Encrypt(nonce, privateKey, result.AsSpan(NonceSize + TagSize), result.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(keyId));
        return result;
    }

    /// <summary>Throws <see cref="AuthenticationTagMismatchException"/> under a different key-encryption key.</summary>
    public byte[] Unprotect(byte[] protectedKey, string keyId)
    {
        var privateKey = new byte[protectedKey.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_signingKeyProtection, TagSize);
        aes.Decrypt(protectedKey.AsSpan(0, NonceSize), protectedKey.AsSpan(NonceSize + TagSize), protectedKey.AsSpan(NonceSize, TagSize),
            privateKey, Encoding.UTF8.GetBytes(keyId));
        return privateKey;
    }
}
