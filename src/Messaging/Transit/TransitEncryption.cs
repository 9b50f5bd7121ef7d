using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Procexon.Contracts;
using Procexon.Messaging.Encryption;
using Procexon.Messaging.Outbox;

namespace Procexon.Messaging.Transit;

/// <summary>
/// The key that seals personal values on the broker: every service that exchanges them (<see cref="PersonalValuesInTransit"/>)
/// is given the same secret and derives the same AES-256-GCM key from it, so a value sealed by the Registry opens in
/// RightsRequests and nowhere else. Rotation as for the column keys (docs/security.md, "Keys").
/// </summary>
public sealed class TransitEncryption(string secret, IEnumerable<string>? previousSecrets = null)
    : ColumnEncryption(KeySetting, PreviousKeysSetting, "procexon/messaging/transit-aes-gcm/v1", secret, previousSecrets)
{
    public const string KeySetting = "Messaging:TransitKey";
    public const string PreviousKeysSetting = "Messaging:PreviousTransitKeys";

    /// <summary>
    /// The key of <paramref name="serviceName"/>: required of a service that publishes or consumes a message sealed in
    /// transit (it stops at start without it, naming the setting), taken when given to any other, null otherwise.
    /// </summary>
    public static TransitEncryption? For(string serviceName, IConfiguration configuration)
    {
        if (!PersonalValuesInTransit.AreExchangedBy(serviceName) && string.IsNullOrWhiteSpace(configuration[KeySetting]))
        {
            return null;
        }

        var (secret, previous) = ReadSecrets(configuration, KeySetting, PreviousKeysSetting,
            "seals the personal values that travel between the services over the broker");
        return new TransitEncryption(secret, previous);
    }
}

/// <summary>
/// Which messages have their <see cref="PersonalValuesAttribute"/> parts sealed on the broker: those the platform's
/// services exchange among themselves (<see cref="IntegrationEventRoutes"/>) that carry such parts. What is sent to a
/// recipient's own queue (a disclosure, a rectification notice) is the recipient's to read and stays as it is.
/// The keys are the process's, as MassTransit's serializer settings are: each host adds its own.
/// </summary>
public static class PersonalValuesInTransit
{
    private static readonly ImmutableHashSet<Type> s_exchanged = [.. IntegrationEventRoutes.ByService.Values
        .SelectMany(routes => routes.Publishes.Concat(routes.Consumes))
        .Where(PersonalValues.AreCarriedBy)];

    private static readonly Lock s_gate = new();
    private static ImmutableList<TransitEncryption> s_keys = [];

    /// <summary>The message types whose personal values are sealed while they travel.</summary>
    public static IReadOnlySet<Type> Types => s_exchanged;

    public static bool AreSealed(Type messageType) => s_exchanged.Contains(messageType);

    /// <summary>Whether <paramref name="serviceName"/> publishes or consumes a message sealed in transit, so needs the key.</summary>
    public static bool AreExchangedBy(string serviceName) =>
        IntegrationEventRoutes.ByService.TryGetValue(serviceName, out var routes)
        && routes.Publishes.Concat(routes.Consumes).Any(AreSealed);

    /// <summary>Adds a host's key: values are sealed under the last one added and opened under whichever wrote them.</summary>
    public static void Use(TransitEncryption key)
    {
        lock (s_gate)
        {
            if (!s_keys.Any(k => k.Fingerprint == key.Fingerprint))
            {
                s_keys = s_keys.Add(key);
            }
        }
    }

    internal static byte[] Seal(ReadOnlySpan<byte> plain, ReadOnlySpan<byte> boundTo) =>
        (s_keys.LastOrDefault() ?? throw new InvalidOperationException(
            $"A message carries personal values and this process has no {TransitEncryption.KeySetting} to seal them with."))
        .Seal(plain, boundTo);

    internal static byte[] Open(byte[] sealedValue, ReadOnlySpan<byte> boundTo, string what) =>
        (s_keys.LastOrDefault(k => k.CanOpen(sealedValue)) ?? throw new CryptographicException(
            $"The {what} on the broker was sealed with a key that neither {TransitEncryption.KeySetting} nor {TransitEncryption.PreviousKeysSetting} holds."))
        .Open(sealedValue, boundTo, what);
}
