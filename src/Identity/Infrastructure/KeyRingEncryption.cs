using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Procexon.Identity.Infrastructure;

/// <summary>
/// Seals each Data Protection key before it is stored in <c>data_protection_keys</c>: whoever reads the database alone
/// cannot forge a sign-in cookie. The key comes from <c>Identity:KeyEncryptionKey</c>, like the signing keys'.
/// </summary>
public sealed class KeyRingXmlEncryptor(KeyEncryption encryption) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var xml = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var element = new XElement("sealedKey",
            new XComment(" AES-256-GCM under a key derived from Identity:KeyEncryptionKey "),
            new XElement("value", Convert.ToBase64String(encryption.ProtectKeyRingEntry(xml))));
        return new EncryptedXmlInfo(element, typeof(KeyRingXmlDecryptor));
    }
}

/// <summary>Created by Data Protection's activator from the type named in the stored XML, hence the service provider.</summary>
public sealed class KeyRingXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var value = encryptedElement.Element("value")?.Value
            ?? throw new InvalidOperationException("A sealed Data Protection key has no value.");
        var xml = services.GetRequiredService<KeyEncryption>().UnprotectKeyRingEntry(Convert.FromBase64String(value));
        return XElement.Parse(Encoding.UTF8.GetString(xml));
    }
}
