using System.Security.Cryptography;

namespace Procexon.DisclosureLog.Model;

/// <summary>Standard Webhooks signing secrets: <c>whsec_</c> and the base64 of 24 to 64 random bytes.</summary>
public static class WebhookSecrets
{
    public const string Prefix = "whsec_";

    /// <summary>32 random bytes, as Standard Webhooks' own libraries generate them.</summary>
    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static bool IsSecret(string? secret)
    {
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var bytes = new byte[64];
        return Convert.TryFromBase64String(secret[Prefix.Length..], bytes, out var length) && length >= 24;
    }
}
