using System.Security.Cryptography;
using System.Text;

namespace Procexon.Registry.Model;

/// <summary>
/// Keyed hashes (HMAC-SHA256) of e-mail addresses and phone numbers for the marketing suppression list: the list can
/// say "never add this person again" without holding who they are. The key is <c>Registry:SuppressionKey</c>.
/// </summary>
public sealed class SuppressionKeys(byte[] key)
{
    public IEnumerable<(string Kind, string Hash)> For(string? email, string? phone)
    {
        if (email is not null)
        {
            yield return ("email", Hash("email", email));
        }

        if (phone is not null)
        {
            yield return ("phone", Hash("phone", phone));
        }
    }

    private string Hash(string kind, string normalisedValue) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{kind}:{normalisedValue}")));
}
