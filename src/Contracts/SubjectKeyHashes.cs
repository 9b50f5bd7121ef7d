using System.Security.Cryptography;
using System.Text;

namespace Procexon.Contracts;

/// <summary>The kinds of identifier a subject is found by.</summary>
public enum IdentifierKind
{
    Email,
    Phone,
    Hetu,
    BusinessId,
    CustomerNumber,
}

/// <summary>
/// A subject's identifiers as they travel between RightsRequests and the Registry: keyed hashes (HMAC-SHA256) of the
/// normalised values, never the values, so outbox rows, queues and error queues name nobody. <see cref="KeyId"/> names
/// the key that made them: a receiver holding another key refuses the message instead of finding nobody.
/// </summary>
public sealed record SubjectKeyHashes(
    string KeyId,
    byte[]? Email = null,
    byte[]? Phone = null,
    byte[]? Hetu = null,
    byte[]? BusinessId = null,
    byte[]? CustomerNumber = null)
{
    /// <summary>Says which identifiers are present; even hashes stay out of logs.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        (string Name, byte[]? Value)[] keys =
        [
            (nameof(Email), Email), (nameof(Phone), Phone), (nameof(Hetu), Hetu),
            (nameof(BusinessId), BusinessId), (nameof(CustomerNumber), CustomerNumber),
        ];
        builder.Append("KeyId = ").Append(KeyId).Append(", given: ")
            .AppendJoin(", ", keys.Where(k => k.Value is not null).Select(k => k.Name));
        return true;
    }
}

/// <summary>
/// The platform's subject lookup key: the Registry stores these hashes in its subjects' rows and RightsRequests sends
/// them in its requests, so both must be configured with the same secret (the AppHost gives both one parameter).
/// </summary>
public sealed class SubjectKeyHasher
{
    public const int MinimumKeyLength = 32;

    private readonly byte[] _key;

    public SubjectKeyHasher(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        // The purpose string predates the class: the Registry's stored hashes were made with it.
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32,
            info: Encoding.UTF8.GetBytes("procexon/registry/identifier-hash/v1"));
        // Names the key without revealing it or any hash made with it.
        KeyId = Convert.ToHexStringLower(HMACSHA256.HashData(_key, "procexon/subject-key-id"u8))[..8];
    }

    public string KeyId { get; }

    /// <summary>The keyed hash of a normalised identifier; the kind is part of the input, so equal strings of two kinds differ.</summary>
    public byte[] Hash(IdentifierKind kind, string normalisedValue) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{KindName(kind)}:{normalisedValue}"));

    public byte[]? HashOrNull(IdentifierKind kind, string? normalisedValue) => normalisedValue is null ? null : Hash(kind, normalisedValue);

    public SubjectKeyHashes HashesOf(SubjectKeys keys) => new(
        KeyId,
        HashOrNull(IdentifierKind.Email, keys.Email),
        HashOrNull(IdentifierKind.Phone, keys.Phone),
        HashOrNull(IdentifierKind.Hetu, keys.Hetu),
        HashOrNull(IdentifierKind.BusinessId, keys.BusinessId),
        HashOrNull(IdentifierKind.CustomerNumber, keys.CustomerNumber));

    /// <summary>Throws when the hashes were made with another key: matching them would silently find nobody.</summary>
    public void EnsureSameKey(SubjectKeyHashes hashes, string setting)
    {
        if (!string.Equals(hashes.KeyId, KeyId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The subject's identifiers were hashed with key {hashes.KeyId}, but {setting} is key {KeyId}: "
                + "the sender and this service must be configured with the same subject lookup key.");
        }
    }

    private static string KindName(IdentifierKind kind) => kind switch
    {
        IdentifierKind.Email => "email",
        IdentifierKind.Phone => "phone",
        IdentifierKind.Hetu => "hetu",
        IdentifierKind.BusinessId => "business-id",
        IdentifierKind.CustomerNumber => "customer-number",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
