using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Procexon.DisclosureLog.Infrastructure;

/// <summary>
/// The token of a mailed notice's confirmation link: the HMAC-SHA256 of the notice's id under a key derived (HKDF, a
/// purpose of its own) from <c>DisclosureLog:EncryptionKey</c>. Derived, not drawn and stored: every retry mails the same
/// link, and the link works the moment the mail leaves, whatever becomes of the process after. A token confirms only its
/// own notice. Tokens under a key a rotation retired (<c>DisclosureLog:PreviousEncryptionKeys</c>) still verify, so a
/// rotation breaks no link already mailed.
/// </summary>
public sealed class EmailLinkTokens
{
    private const string Purpose = "procexon/disclosurelog/email-confirmation-link-hmac/v1";
    private const int TokenBytes = 32;

    private readonly byte[] _key;
    private readonly List<byte[]> _keys;

    public EmailLinkTokens(string secret, IEnumerable<string>? previousSecrets = null)
    {
        _key = Derive(secret);
        _keys = [_key, .. (previousSecrets ?? []).Select(Derive)];
    }

    public static EmailLinkTokens FromConfiguration(IConfiguration configuration)
    {
        var (secret, previous) = ColumnEncryption.ReadSecrets(configuration, DisclosureLogProtection.KeySetting,
            DisclosureLogProtection.PreviousKeysSetting, DisclosureLogProtection.Use);
        return new EmailLinkTokens(secret, previous);
    }

    /// <summary>The token the link to <paramref name="noticeId"/> carries (base64url, 256 bits), the same on every call.</summary>
    public string For(Guid noticeId) => Base64Url.EncodeToString(Mac(_key, noticeId));

    /// <summary>Whether <paramref name="token"/> is the link token of <paramref name="noticeId"/> under any key, compared in constant time.</summary>
    public bool Verifies(Guid noticeId, string token)
    {
        // Anything that is not exactly a token's length of base64url is no token (a link an earlier version mailed, a typo).
        Span<byte> given = stackalloc byte[TokenBytes];
        if (Base64Url.GetMaxDecodedLength(token.Length) != TokenBytes
            || Base64Url.DecodeFromChars(token, given, out _, out var written) != OperationStatus.Done || written != TokenBytes)
        {
            return false;
        }

        // Every key is tried, so the time taken does not tell which one matched.
        var matched = false;
        foreach (var key in _keys)
        {
            matched |= CryptographicOperations.FixedTimeEquals(Mac(key, noticeId), given);
        }

        return matched;
    }

    private static byte[] Mac(byte[] key, Guid noticeId) => HMACSHA256.HashData(key, noticeId.ToByteArray(bigEndian: true));

    private static byte[] Derive(string secret) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: Encoding.UTF8.GetBytes(Purpose));
}
