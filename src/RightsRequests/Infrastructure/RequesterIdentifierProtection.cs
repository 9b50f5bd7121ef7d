using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>
/// How a request keeps its requester's identifiers (and the registry's identifiers and records it is answered with) at
/// rest: AES-256-GCM under <c>RightsRequests:IdentifierKey</c>, a fresh nonce per value, the table's and column's name as
/// authenticated data (a value moved to another column does not decrypt), and a key id in every value so a rotation can tell which
/// key wrote it. Format: version (1) | key id (4) | nonce (12) | tag (16) | ciphertext. Rotation: the new secret becomes
/// <c>RightsRequests:IdentifierKey</c> and the old one moves to <c>RightsRequests:PreviousIdentifierKeys</c>; values are
/// read under whichever key their id names and written under the current one (docs/security.md, "Keys").
/// </summary>
public sealed class RequesterIdentifierProtection
{
    public const string KeySetting = "RightsRequests:IdentifierKey";
    public const string PreviousKeysSetting = "RightsRequests:PreviousIdentifierKeys";
    public const int MinimumKeyLength = 32;

    private const byte FormatVersion = 1;
    private const int KeyIdSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + KeyIdSize + NonceSize + TagSize;
    private const string RequestsTable = "rights_requests";

    private readonly byte[] _key;
    private readonly byte[] _keyId;
    private readonly Dictionary<string, byte[]> _readableKeys = new(StringComparer.Ordinal);

    public RequesterIdentifierProtection(string secret, IEnumerable<string>? previousSecrets = null)
    {
        _key = Derive(secret);
        // A hash of the derived key, never the key: it names the key, and two hosts with one key share one EF model.
        _keyId = KeyIdOf(_key);
        _readableKeys[Convert.ToHexStringLower(_keyId)] = _key;
        var fingerprinted = new List<byte>(_key);
        foreach (var previous in previousSecrets ?? [])
        {
            var key = Derive(previous);
            _readableKeys.TryAdd(Convert.ToHexStringLower(KeyIdOf(key)), key);
            fingerprinted.AddRange(key);
        }

        Fingerprint = Convert.ToHexStringLower(SHA256.HashData([.. fingerprinted, .. "fingerprint"u8]))[..16];
    }

    /// <summary>The id every value written now carries (hex), and the ids of the keys values may still be read under.</summary>
    public string KeyId => Convert.ToHexStringLower(_keyId);

    public IReadOnlyCollection<string> ReadableKeyIds => _readableKeys.Keys;

    public string Fingerprint { get; }

    /// <summary>Reads and checks the key; a missing or short key stops the service at start with the setting's name.</summary>
    public static RequesterIdentifierProtection FromConfiguration(IConfiguration configuration)
    {
        var value = configuration[KeySetting];
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length < MinimumKeyLength)
        {
            throw new InvalidOperationException(
                $"{KeySetting} is {(string.IsNullOrWhiteSpace(value) ? "missing" : "too short")}: it encrypts requesters' identifiers at rest and "
                + $"must be a random secret of at least {MinimumKeyLength} characters. The AppHost generates one; elsewhere set it "
                + "(environment variable RightsRequests__IdentifierKey).");
        }

        // Keys a rotation retired: still read, never written. An array (…:0, …:1) or one value.
        var section = configuration.GetSection(PreviousKeysSetting);
        var previous = section.GetChildren().Select(c => c.Value).Append(section.Value)
            .Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
        if (previous.FirstOrDefault(v => v.Length < MinimumKeyLength) is not null)
        {
            throw new InvalidOperationException($"A key in {PreviousKeysSetting} is shorter than {MinimumKeyLength} characters: it cannot be one this service wrote with.");
        }

        return new RequesterIdentifierProtection(value.Trim(), previous);
    }

    private static byte[] Derive(string secret) => HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32,
        info: Encoding.UTF8.GetBytes("procexon/rightsrequests/identifier-aes-gcm/v1"));

    private static byte[] KeyIdOf(byte[] key) => SHA256.HashData(key)[..KeyIdSize];

    /// <summary>A value of a <c>rights_requests</c> column.</summary>
    public byte[] Encrypt(string column, string plain) => Encrypt(RequestsTable, column, plain);

    /// <summary>A value of another table's column, bound to <paramref name="table"/>.<paramref name="column"/>.</summary>
    public byte[] Encrypt(string table, string column, string plain)
    {
        var plainBytes = Encoding.UTF8.GetBytes(plain);
        var sealedValue = new byte[HeaderSize + plainBytes.Length];
        sealedValue[0] = FormatVersion;
        _keyId.CopyTo(sealedValue.AsSpan(1, KeyIdSize));
        var nonce = sealedValue.AsSpan(1 + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plainBytes, sealedValue.AsSpan(HeaderSize), sealedValue.AsSpan(1 + KeyIdSize + NonceSize, TagSize), AssociatedData(table, column));
        return sealedValue;
    }

    public string Decrypt(string column, byte[] sealedValue) => Decrypt(RequestsTable, column, sealedValue);

    public string Decrypt(string table, string column, byte[] sealedValue)
    {
        if (sealedValue.Length < HeaderSize || sealedValue[0] != FormatVersion)
        {
            throw new CryptographicException($"The stored {column} is not in a format this service writes.");
        }

        var writtenWith = Convert.ToHexStringLower(sealedValue.AsSpan(1, KeyIdSize));
        if (!_readableKeys.TryGetValue(writtenWith, out var key))
        {
            throw new CryptographicException(
                $"The stored {column} was written with another key (key id {writtenWith}) "
                + $"than {KeySetting} (key id {KeyId}) or any of {PreviousKeysSetting}.");
        }

        var plain = new byte[sealedValue.Length - HeaderSize];
        using var aes = new AesGcm(key, TagSize);
        // Throws AuthenticationTagMismatchException when the value was altered or moved here from another column.
        aes.Decrypt(sealedValue.AsSpan(1 + KeyIdSize, NonceSize), sealedValue.AsSpan(HeaderSize),
            sealedValue.AsSpan(1 + KeyIdSize + NonceSize, TagSize), plain, AssociatedData(table, column));
        return Encoding.UTF8.GetString(plain);
    }

    // Bound to table and column, so a value moved to another table's column of the same name does not decrypt either.
    private static byte[] AssociatedData(string table, string column) => Encoding.UTF8.GetBytes($"{table}.{column}");
}

/// <summary>Carries the key into the context's options, so the model (and its converters) is built with it.</summary>
public sealed class RequesterIdentifierProtectionExtension(RequesterIdentifierProtection protection) : IDbContextOptionsExtension
{
    public RequesterIdentifierProtection Protection { get; } = protection;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    // Another key, another internal service provider, hence another cached model with that key's converters.
    private sealed class ExtensionInfo(RequesterIdentifierProtectionExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        private new RequesterIdentifierProtectionExtension Extension => (RequesterIdentifierProtectionExtension)base.Extension;

        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "RequesterIdentifierProtection ";

        public override int GetServiceProviderHashCode() => StringComparer.Ordinal.GetHashCode(Extension.Protection.Fingerprint);

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) =>
            other is ExtensionInfo info && info.Extension.Protection.Fingerprint == Extension.Protection.Fingerprint;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["RightsRequests:IdentifierProtection"] = Extension.Protection.Fingerprint;
    }
}

public static class RequesterIdentifierProtectionOptionsBuilderExtensions
{
    public static TBuilder UseRequesterIdentifierProtection<TBuilder>(this TBuilder options, RequesterIdentifierProtection protection)
        where TBuilder : DbContextOptionsBuilder
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new RequesterIdentifierProtectionExtension(protection));
        return options;
    }
}
