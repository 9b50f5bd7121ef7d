using System.Security.Cryptography;
using System.Text;

namespace Procexon.Registry.Model;

/// <summary>
/// How the registry keeps identifiers at rest: every identifier is found through a keyed hash (HMAC-SHA256, key
/// <c>Registry:IdentifierKey</c>), and the personal identity code is stored only encrypted (AES-256-GCM, key
/// <c>Registry:HetuKey</c>, a random nonce per value). Without the keys a copy of the database names nobody by hetu
/// and cannot be searched by any identifier.
/// </summary>
public sealed class IdentifierProtection
{
    public const string IdentifierKeySetting = "Registry:IdentifierKey";
    public const string HetuKeySetting = "Registry:HetuKey";
    public const int MinimumKeyLength = 32;

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const byte FormatVersion = 1;

    private readonly byte[] _hetuKey;

    public IdentifierProtection(string identifierKey, string hetuKey)
    {
        Hasher = new SubjectKeyHasher(identifierKey);
        _hetuKey = Derive(hetuKey, "procexon/registry/hetu-aes-gcm/v1");
        // A fingerprint of the keys, not the keys: two instances with the same keys share one EF model.
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(Hasher.KeyId), .. _hetuKey]))[..16];
    }

    public string Fingerprint { get; }

    /// <summary>The subject lookup key, shared with RightsRequests, whose requests arrive hashed with it.</summary>
    public SubjectKeyHasher Hasher { get; }

    /// <summary>Reads and checks both keys; a missing, short or shared key stops the service at start with the reason.</summary>
    public static IdentifierProtection FromConfiguration(IConfiguration configuration)
    {
        var identifierKey = Required(configuration, IdentifierKeySetting, "keys the hashes every subject is looked up by");
        var hetuKey = Required(configuration, HetuKeySetting, "encrypts personal identity codes at rest");
        if (string.Equals(identifierKey, hetuKey, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{IdentifierKeySetting} and {HetuKeySetting} must be different keys: one hashes identifiers, the other encrypts identity codes.");
        }

        return new IdentifierProtection(identifierKey, hetuKey);
    }

    /// <summary>The keyed hash of a normalised identifier; the kind is part of the input, so equal strings of two kinds differ.</summary>
    public byte[] Hash(IdentifierKind kind, string normalisedValue) => Hasher.Hash(kind, normalisedValue);

    public byte[]? HashOrNull(IdentifierKind kind, string? normalisedValue) => Hasher.HashOrNull(kind, normalisedValue);

    /// <summary>version (1) | nonce (12) | tag (16) | ciphertext.</summary>
    public byte[] EncryptHetu(string hetu)
    {
        var plain = Encoding.ASCII.GetBytes(hetu);
        var sealedValue = new byte[1 + NonceSize + TagSize + plain.Length];
        sealedValue[0] = FormatVersion;
        var nonce = sealedValue.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_hetuKey, TagSize);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(1 + NonceSize + TagSize), sealedValue.AsSpan(1 + NonceSize, TagSize));
        return sealedValue;
    }

    public string DecryptHetu(byte[] sealedValue)
    {
        if (sealedValue.Length < 1 + NonceSize + TagSize || sealedValue[0] != FormatVersion)
        {
            throw new CryptographicException("The stored identity code is not in a format this registry writes.");
        }

        var plain = new byte[sealedValue.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_hetuKey, TagSize);
        // Throws (AuthenticationTagMismatchException) when the key is not the one the value was written with.
        aes.Decrypt(sealedValue.AsSpan(1, NonceSize), sealedValue.AsSpan(1 + NonceSize + TagSize), sealedValue.AsSpan(1 + NonceSize, TagSize), plain);
        return Encoding.ASCII.GetString(plain);
    }

    private static string Required(IConfiguration configuration, string setting, string purpose)
    {
        var value = configuration[setting];
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length < MinimumKeyLength)
        {
            throw new InvalidOperationException(
                $"{setting} is {(string.IsNullOrWhiteSpace(value) ? "missing" : "too short")}: it {purpose} and must be a random secret of at least "
                + $"{MinimumKeyLength} characters. The AppHost generates one; elsewhere set it (environment variable {setting.Replace(":", "__", StringComparison.Ordinal)}).");
        }

        return value.Trim();
    }

    // The configured secret is a string; HKDF turns it into a full-strength key for each use.
    private static byte[] Derive(string secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: Encoding.UTF8.GetBytes(purpose));
}
