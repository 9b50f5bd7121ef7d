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
        return services;
    }
}
