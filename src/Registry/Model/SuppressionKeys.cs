using System.Security.Cryptography;
using System.Text;

namespace Procexon.Registry.Model;

/// <summary>
/// Keyed hashes (HMAC-SHA256) of e-mail addresses and phone numbers for the marketing suppression list: the list can
/// say "never add this person again" without holding who they are. The key is <c>Registry:SuppressionKey</c>. An
/// entry is keyed over the identifier's lookup hash, not its value, so a request that carries only hashes (an
/// objection from someone the registry does not hold) still suppresses; and, keyed apart, entries cannot be joined
/// to the subjects' hash columns.
/// </summary>
/// <remarks>
/// An entry cannot be made again under a new lookup key (only the hash was kept), so a rotated key stays among the
/// retired ones and an address is checked under each (docs/security.md, "Keys").
/// </remarks>
public sealed class SuppressionKeys(byte[] key, SubjectKeyHasher hasher, IReadOnlyList<SubjectKeyHasher>? retiredHashers = null)
{
    /// <summary>The entries to write for an address, under the current lookup key.</summary>
    public IEnumerable<(string Kind, string Hash)> For(string? email, string? phone) =>
        ForHashes(hasher.HashOrNull(IdentifierKind.Email, email), hasher.HashOrNull(IdentifierKind.Phone, phone));

    /// <summary>The entries any of which suppresses an address: under the current lookup key and every retired one.</summary>
    public IEnumerable<(string Kind, string Hash)> Checked(string? email, string? phone) =>
        new[] { hasher }.Concat(retiredHashers ?? []).SelectMany(h =>
            ForHashes(h.HashOrNull(IdentifierKind.Email, email), h.HashOrNull(IdentifierKind.Phone, phone)));

    public IEnumerable<(string Kind, string Hash)> ForHashes(byte[]? emailHash, byte[]? phoneHash)
    {
        if (emailHash is not null)
        {
            yield return ("email", Hash("email", emailHash));
        }

        if (phoneHash is not null)
        {
            yield return ("phone", Hash("phone", phoneHash));
        }
    }

    private string Hash(string kind, byte[] lookupHash) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{kind}:{Convert.ToHexStringLower(lookupHash)}")));
}
