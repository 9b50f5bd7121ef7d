
namespace Procexon.Registry.Model;

/// <summary>
/// How the registry keeps identifiers at rest: every identifier is found through a keyed hash (HMAC-SHA256, key
/// <c>Registry:IdentifierKey</c>), and every identifier's value is stored only encrypted (<see cref="ColumnEncryption"/>,
/// key <c>Registry:IdentifierEncryptionKey</c>, retired keys in <c>Registry:PreviousIdentifierEncryptionKeys</c>).
/// Without the keys a copy of the database names nobody and cannot be searched by any identifier. Retired lookup keys
/// (<c>Registry:PreviousIdentifierKeys</c>) still find subjects for requests hashed before a rotation
/// (<see cref="Infrastructure.LookupKeyRotation"/>).
/// </summary>
public sealed class IdentifierProtection : ColumnEncryption
{
    public const string IdentifierKeySetting = "Registry:IdentifierKey";
    public const string EncryptionKeySetting = "Registry:IdentifierEncryptionKey";
    public const string PreviousEncryptionKeysSetting = "Registry:PreviousIdentifierEncryptionKeys";
    public const string PreviousIdentifierKeysSetting = "Registry:PreviousIdentifierKeys";

    public IdentifierProtection(string identifierKey, string encryptionKey, IEnumerable<string>? previousEncryptionKeys = null,
        IEnumerable<string>? previousIdentifierKeys = null)
        : base(EncryptionKeySetting, PreviousEncryptionKeysSetting, "procexon/registry/identifier-aes-gcm/v2", encryptionKey, previousEncryptionKeys)
    {
        Hasher = new SubjectKeyHasher(identifierKey);
        RetiredHashers = [.. (previousIdentifierKeys ?? []).Select(key => new SubjectKeyHasher(key)).Where(h => h.KeyId != Hasher.KeyId)];
    }

    /// <summary>The subject lookup key, shared with RightsRequests, whose requests arrive hashed with it.</summary>
    public SubjectKeyHasher Hasher { get; }

    /// <summary>Lookup keys retired by a rotation, newest first: read (requests in flight, the suppression list), never written.</summary>
    public IReadOnlyList<SubjectKeyHasher> RetiredHashers { get; }

    public bool IsRetiredLookupKey(string keyId) => RetiredHashers.Any(h => h.KeyId == keyId);

    /// <summary>Reads and checks the keys; a missing, short or shared key stops the service at start with the reason.</summary>
    public static IdentifierProtection FromConfiguration(IConfiguration configuration)
    {
        var (identifierKey, previousIdentifierKeys) = ReadSecrets(configuration, IdentifierKeySetting, PreviousIdentifierKeysSetting,
            "keys the hashes every subject is looked up by");
        var (encryptionKey, previous) = ReadSecrets(configuration, EncryptionKeySetting, PreviousEncryptionKeysSetting,
            "encrypts the subjects' identifiers at rest");
        if (string.Equals(identifierKey, encryptionKey, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{IdentifierKeySetting} and {EncryptionKeySetting} must be different keys: one hashes identifiers, the other encrypts them.");
        }

        return new IdentifierProtection(identifierKey, encryptionKey, previous, previousIdentifierKeys);
    }

    /// <summary>The keyed hash of a normalised identifier; the kind is part of the input, so equal strings of two kinds differ.</summary>
    public byte[] Hash(IdentifierKind kind, string normalisedValue) => Hasher.Hash(kind, normalisedValue);

    public byte[]? HashOrNull(IdentifierKind kind, string? normalisedValue) => Hasher.HashOrNull(kind, normalisedValue);
}
