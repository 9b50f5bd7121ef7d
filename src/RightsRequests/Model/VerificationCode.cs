using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Procexon.RightsRequests.Model;

/// <summary>
/// The six-digit one-time code e-mailed to a requester. Only a keyed hash is stored: a million codes are quickly
/// tried against a plain hash, not against an HMAC whose key is not in the database.
/// </summary>
public sealed class VerificationCode(byte[] key)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public const int MaxAttempts = 5;

    /// <summary>Codes one request may be sent; with <see cref="MaxAttempts"/> it bounds the guesses per request.</summary>
    public const int MaxCodesPerRequest = 5;

    public const int Length = 6;

    public static string NewCode() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The hash of a code for one request, so a code sent for one request proves nothing for another.</summary>
    public string Hash(Guid requestId, string code) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{requestId:N}:{code}")));

    public bool Matches(Guid requestId, string code, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(requestId, code)), Encoding.ASCII.GetBytes(storedHash));

    /// <summary>
    /// The requester's own link to the answer, issued when their code verifies the request: 32 random bytes,
    /// base64url. Only its keyed hash is kept, like the code's.
    /// </summary>
    public static string NewAnswerKey() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Keyed apart from the codes ("answer:"), so no code's hash ever matches a key's.</summary>
    public string HashAnswerKey(Guid requestId, string answerKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"answer:{requestId:N}:{answerKey}")));

    public bool MatchesAnswerKey(Guid requestId, string answerKey, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(HashAnswerKey(requestId, answerKey)), Encoding.ASCII.GetBytes(storedHash));

    /// <summary>Six digits, spaces allowed (a code is often copied as "123 456").</summary>
    public static string? Normalise(string? code)
    {
        var digits = code?.Replace(" ", "", StringComparison.Ordinal).Trim();
        return digits is { Length: Length } && digits.All(char.IsAsciiDigit) ? digits : null;
    }
}
