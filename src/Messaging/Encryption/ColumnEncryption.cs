using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Procexon.Messaging.Encryption;

/// <summary>
/// How a service keeps a personal value it must read back (an identifier, a copy of records) at rest: AES-256-GCM under
/// a key derived from one configured secret, a fresh nonce per value, the value's place (<c>table.column</c>) as
/// authenticated data so that a value moved elsewhere does not decrypt, and the key's id in every value so that a
/// rotation can tell which key wrote it. Format: version (1) | key id (4) | nonce (12) | tag (16) | ciphertext.
/// Rotation: the new secret becomes the key setting and the old one moves to the previous-keys setting; values are read
/// under whichever key their id names and written under the current one (docs/security.md, "Keys"). Each service
/// derives under its own purpose, so one secret given to two settings still makes two keys.
/// </summary>
public class ColumnEncryption
{
    public const int MinimumKeyLength = 32;

    private const byte FormatVersion = 1;
    private const int KeyIdSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    /// <summary>The bytes every value carries before its ciphertext: version, key id, nonce, tag.</summary>
    public const int HeaderLength = 1 + KeyIdSize + NonceSize + TagSize;

    private readonly byte[] _key;
    private readonly byte[] _keyId;
    private readonly Dictionary<string, byte[]> _readableKeys = new(StringComparer.Ordinal);

    /// <param name="setting">The configuration key of the secret, named in every error about it.</param>
    /// <param name="previousSetting">The configuration key of the secrets a rotation retired.</param>
    /// <param name="purpose">The HKDF label: one per service and use, so that keys never repeat across them.</param>
    public ColumnEncryption(string setting, string previousSetting, string purpose, string secret, IEnumerable<string>? previousSecrets = null)
    {
        Setting = setting;
        PreviousSetting = previousSetting;
        _key = Derive(secret, purpose);
        // A hash of the derived key, never the key: it names the key, and two hosts with one key share one EF model.
        _keyId = KeyIdOf(_key);
        _readableKeys[Convert.ToHexStringLower(_keyId)] = _key;
        var fingerprinted = new List<byte>(_key);
        foreach (var previous in previousSecrets ?? [])
        {
            var key = Derive(previous, purpose);
            _readableKeys.TryAdd(Convert.ToHexStringLower(KeyIdOf(key)), key);
            fingerprinted.AddRange(key);
        }

        Fingerprint = Convert.ToHexStringLower(SHA256.HashData([.. fingerprinted, .. "fingerprint"u8]))[..16];
    }

    public string Setting { get; }

    public string PreviousSetting { get; }

    /// <summary>The id every value written now carries (hex), and the ids of the keys values may still be read under.</summary>
    public string KeyId => Convert.ToHexStringLower(_keyId);

    public IReadOnlyCollection<string> ReadableKeyIds => _readableKeys.Keys;

    /// <summary>Names the keys (current and previous) without revealing them; equal fingerprints share an EF model.</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// The secret under <paramref name="setting"/> and the retired ones under <paramref name="previousSetting"/> (an array
    /// <c>…:0</c>, <c>…:1</c> or one value); a missing or short secret stops the service at start with the setting's name.
    /// </summary>
    public static (string Secret, IReadOnlyList<string> Previous) ReadSecrets(IConfiguration configuration, string setting, string previousSetting, string use)
    {
        var secret = RequiredSecret(configuration, setting, use);
        var section = configuration.GetSection(previousSetting);
        var previous = section.GetChildren().Select(c => c.Value).Append(section.Value)
            .Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
        if (previous.Any(v => v.Length < MinimumKeyLength))
        {
            throw new InvalidOperationException($"A key in {previousSetting} is shorter than {MinimumKeyLength} characters: it cannot be one this service wrote with.");
        }

        return (secret, previous);
    }

    /// <summary>A secret the service cannot start without: missing or short, it stops the start naming the setting.</summary>
    public static string RequiredSecret(IConfiguration configuration, string setting, string use)
    {
        var value = configuration[setting];
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length < MinimumKeyLength)
        {
            throw new InvalidOperationException(
                $"{setting} is {(string.IsNullOrWhiteSpace(value) ? "missing" : "too short")}: it {use} and must be a random secret of at least "
                + $"{MinimumKeyLength} characters. The AppHost generates one; elsewhere set it (environment variable {setting.Replace(":", "__", StringComparison.Ordinal)}).");
        }

        return value.Trim();
    }

    /// <summary>A text value of <paramref name="table"/>.<paramref name="column"/>.</summary>
    public byte[] Encrypt(string table, string column, string plain) => Seal(Encoding.UTF8.GetBytes(plain), Place(table, column));

    /// <summary>Throws <see cref="CryptographicException"/> for a value altered, moved from elsewhere, or written under an unknown key.</summary>
    public string Decrypt(string table, string column, byte[] sealedValue) =>
        Encoding.UTF8.GetString(Open(sealedValue, Place(table, column), $"{table}.{column}"));

    /// <summary>Bytes sealed with <paramref name="associatedData"/> as what they are bound to.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plain, ReadOnlySpan<byte> associatedData)
    {
        var sealedValue = new byte[HeaderLength + plain.Length];
        sealedValue[0] = FormatVersion;
        _keyId.CopyTo(sealedValue.AsSpan(1, KeyIdSize));
        var nonce = sealedValue.AsSpan(1 + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(HeaderLength), sealedValue.AsSpan(1 + KeyIdSize + NonceSize, TagSize), associatedData);
        return sealedValue;
    }

    public byte[] Open(byte[] sealedValue, ReadOnlySpan<byte> associatedData, string what = "value")
    {
        if (sealedValue.Length < HeaderLength || sealedValue[0] != FormatVersion)
        {
            throw new CryptographicException($"The stored {what} is not in a format this service writes.");
        }

        var writtenWith = Convert.ToHexStringLower(sealedValue.AsSpan(1, KeyIdSize));
        if (!_readableKeys.TryGetValue(writtenWith, out var key))
        {
            throw new CryptographicException(
                $"The stored {what} was written with another key (key id {writtenWith}) than {Setting} (key id {KeyId}) or any of {PreviousSetting}.");
        }

        var plain = new byte[sealedValue.Length - HeaderLength];
        using var aes = new AesGcm(key, TagSize);
        // Throws AuthenticationTagMismatchException when the value was altered or moved here from another place.
        aes.Decrypt(sealedValue.AsSpan(1 + KeyIdSize, NonceSize), sealedValue.AsSpan(HeaderLength),
            sealedValue.AsSpan(1 + KeyIdSize + NonceSize, TagSize), plain, associatedData);
        return plain;
    }

    /// <summary>Whether the value is in this format and under a key this instance holds (current or previous).</summary>
    public bool CanOpen(byte[] sealedValue) =>
        sealedValue.Length >= HeaderLength && sealedValue[0] == FormatVersion
        && _readableKeys.ContainsKey(Convert.ToHexStringLower(sealedValue.AsSpan(1, KeyIdSize)));

    /// <summary>Whether the value was written under the current key (false: a rotation has yet to rewrite it).</summary>
    public bool IsCurrent(byte[] sealedValue) =>
        sealedValue.Length >= HeaderLength && sealedValue.AsSpan(1, KeyIdSize).SequenceEqual(_keyId);

    /// <summary>What a column's values are bound to: <c>table.column</c>.</summary>
    public static byte[] Place(string table, string column) => Encoding.UTF8.GetBytes($"{table}.{column}");

    // The configured secret is a string; HKDF turns it into a full-strength key for this purpose.
    private static byte[] Derive(string secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: Encoding.UTF8.GetBytes(purpose));

    private static byte[] KeyIdOf(byte[] key) => SHA256.HashData(key)[..KeyIdSize];
}
