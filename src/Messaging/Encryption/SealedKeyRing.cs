using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Procexon.Messaging.Encryption;

/// <summary>
/// Seals each ASP.NET Core Data Protection key before it is stored in a service's <c>data_protection_keys</c>, under a
/// key derived from one of the service's secrets: whoever reads the database alone cannot forge the cookies and tokens
/// that key ring protects. Replicas and restarts share the ring through the database.
/// </summary>
public sealed class KeyRingSeal(ColumnEncryption encryption)
{
    private static readonly byte[] s_purpose = "data-protection key ring"u8.ToArray();

    /// <summary>The configuration key of the secret the ring is sealed under, named in the stored XML.</summary>
    public string Setting => encryption.Setting;

    public byte[] Seal(ReadOnlySpan<byte> xml) => encryption.Seal(xml, s_purpose);

    public byte[] Open(byte[] sealedXml) => encryption.Open(sealedXml, s_purpose, "data protection key");
}

public sealed class SealedKeyXmlEncryptor(KeyRingSeal seal) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var xml = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var element = new XElement("sealedKey",
            new XComment($" AES-256-GCM under a key derived from {seal.Setting} "),
            new XElement("value", Convert.ToBase64String(seal.Seal(xml))));
        return new EncryptedXmlInfo(element, typeof(SealedKeyXmlDecryptor));
    }
}

/// <summary>Created by Data Protection's activator from the type named in the stored XML, hence the service provider.</summary>
public sealed class SealedKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var value = encryptedElement.Element("value")?.Value
            ?? throw new InvalidOperationException("A sealed Data Protection key has no value.");
        var xml = services.GetRequiredService<KeyRingSeal>().Open(Convert.FromBase64String(value));
        return XElement.Parse(Encoding.UTF8.GetString(xml));
    }
}

public static class SealedKeyRingExtensions
{
    /// <summary>
    /// The service's Data Protection key ring in <typeparamref name="TContext"/>'s <c>data_protection_keys</c>, each key
    /// sealed under <paramref name="encryption"/>, for application <paramref name="applicationName"/>.
    /// </summary>
    public static IServiceCollection AddSealedKeyRing<TContext>(
        this IServiceCollection services, string applicationName, Func<IServiceProvider, ColumnEncryption> encryption)
        where TContext : DbContext, IDataProtectionKeyContext
    {
        services.AddSingleton(provider => new KeyRingSeal(encryption(provider)));
        services.AddDataProtection()
            .SetApplicationName(applicationName)
            .PersistKeysToDbContext<TContext>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<KeyRingSeal>((options, seal) => options.XmlEncryptor = new SealedKeyXmlEncryptor(seal));
        services.AddScoped<IDatabaseSeeder<TContext>, KeyRingStart<TContext>>();
        return services;
    }
}

/// <summary>
/// Makes the ring's first key at the service's start, under the seeding lock (<see cref="ServiceDatabaseMigrator{TContext}"/>),
/// when it has no key in use. Left to Data Protection, each replica of a service started on an empty ring makes a key of
/// its own at its first use and keeps using it, so what one replica protects (a sign-in cookie, a circuit's component
/// state) another cannot open until it reloads the ring a day later; under the lock the first replica makes the key and
/// the others find it. Later keys are Data Protection's own, made days before they are needed, by then in every ring.
/// </summary>
internal sealed class KeyRingStart<TContext>(IKeyManager keys, TimeProvider clock) : IDatabaseSeeder<TContext>
    where TContext : DbContext
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromDays(90);

    public Task SeedAsync(TContext db, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now))
        {
            keys.CreateNewKey(now, now + s_lifetime);
        }

        return Task.CompletedTask;
    }
}
