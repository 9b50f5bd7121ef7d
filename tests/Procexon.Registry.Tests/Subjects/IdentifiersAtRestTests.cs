using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Procexon.Contracts;
using Procexon.Registry.Extensions;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Subjects;

[Collection(RegistryCollection.Name)]
public sealed class IdentifiersAtRestTests(RegistryFixture fixture)
{
    [Fact]
    public async Task Stored_row_holds_every_identifier_only_encrypted_and_as_its_keyed_hash()
    {
        var person = TestPerson.Next();
        var subject = await RawSubjects.AddAsync(fixture, person.ToSubject());

        var row = await RawSubjects.RowAsync(fixture, subject.Id);

        foreach (var clear in new[] { "hetu", "email", "phone", "business_id", "customer_number" })
        {
            Assert.DoesNotContain(clear, row.Keys);
        }

        string[] written = [.. WrittenForms(person.Hetu), person.Email, person.Email[..person.Email.IndexOf('@', StringComparison.Ordinal)],
            person.Phone, person.Phone[4..], person.BusinessId, person.CustomerNumber];
        foreach (var (column, value) in row)
        {
            foreach (var form in written)
            {
                Assert.False(AsText(value).Contains(form, StringComparison.OrdinalIgnoreCase), $"{column} holds {form} in clear.");
            }
        }

        // version | key id | nonce | tag | ciphertext, each bound to its column: decrypted here with the configured key.
        var protection = new IdentifierProtection(RegistryFixture.IdentifierKey, RegistryFixture.EncryptionKey);
        foreach (var (column, value) in new[] { ("hetu_encrypted", person.Hetu), ("email_encrypted", person.Email), ("phone_encrypted", person.Phone),
            ("business_id_encrypted", person.BusinessId), ("customer_number_encrypted", person.CustomerNumber) })
        {
            var sealedValue = Assert.IsType<byte[]>(row[column]);
            Assert.Equal(1 + 4 + 12 + 16 + Encoding.UTF8.GetByteCount(value), sealedValue.Length);
            Assert.Equal(value, protection.Decrypt("subjects", column, sealedValue));
        }

        // The hashes are what an independent HMAC-SHA256 with the configured key gives, not the values.
        Assert.Equal(ExpectedHash("hetu", person.Hetu), row["hetu_hash"]);
        Assert.Equal(ExpectedHash("email", person.Email), row["email_hash"]);
        Assert.Equal(ExpectedHash("phone", person.Phone), row["phone_hash"]);
        Assert.Equal(ExpectedHash("business-id", person.BusinessId), row["business_id_hash"]);
        Assert.Equal(ExpectedHash("customer-number", person.CustomerNumber), row["customer_number_hash"]);
    }

    [Fact]
    public async Task Loaded_subject_has_its_identity_code_in_clear_in_memory()
    {
        var person = TestPerson.Next();
        var subject = await RawSubjects.AddAsync(fixture, person.ToSubject());

        var loaded = await fixture.InDatabaseAsync(db => db.Subjects.AsNoTracking().SingleAsync(s => s.Id == subject.Id));

        Assert.Equal(person.Hetu, loaded.Hetu);
        Assert.Equal(person.Email, loaded.Email);
        Assert.Equal(person.Phone, loaded.Phone);
        Assert.Equal(person.BusinessId, loaded.BusinessId);
        Assert.Equal(person.CustomerNumber, loaded.CustomerNumber);
    }

    [Fact]
    public async Task Subject_is_found_by_each_of_its_identifiers()
    {
        var person = TestPerson.Next();
        var subject = await RawSubjects.AddAsync(fixture, person.ToSubject());

        Assert.Equal([subject.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Email: person.Email)));
        Assert.Equal([subject.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Phone: person.Phone)));
        Assert.Equal([subject.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Hetu: person.Hetu)));
        Assert.Equal([subject.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(BusinessId: person.BusinessId)));
        Assert.Equal([subject.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(CustomerNumber: person.CustomerNumber)));
        Assert.Empty(await RawSubjects.FindAsync(fixture, new SubjectKeys(Hetu: TestPerson.Next().Hetu)));
    }

    [Fact]
    public async Task Lookup_goes_through_the_hash_column_not_the_clear_value()
    {
        var person = TestPerson.Next();
        var subject = await RawSubjects.AddAsync(fixture, person.ToSubject());
        var other = TestPerson.Next();

        // Change the stored value behind the registry's back: lookups still follow the hash.
        var protection = new IdentifierProtection(RegistryFixture.IdentifierKey, RegistryFixture.EncryptionKey);
        await RawSubjects.ExecuteAsync(fixture, "UPDATE subjects SET email_encrypted = $1 WHERE id = $2",
            protection.Encrypt("subjects", "email_encrypted", other.Email), subject.Id);
        Assert.Equal([subject.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Email: person.Email)));
        Assert.Empty(await RawSubjects.FindAsync(fixture, new SubjectKeys(Email: other.Email)));

        // And without its hash a subject cannot be found by that identifier at all.
        await RawSubjects.ExecuteAsync(fixture, "UPDATE subjects SET email_hash = NULL WHERE id = $1", subject.Id);
        Assert.Empty(await RawSubjects.FindAsync(fixture, new SubjectKeys(Email: person.Email)));
    }

    [Fact]
    public async Task Identifier_changed_through_the_entity_is_rehashed_on_save_without_a_change_detection_of_its_own()
    {
        var person = TestPerson.Next();
        var subject = await RawSubjects.AddAsync(fixture, person.ToSubject());
        var newer = TestPerson.Next();

        var detections = await fixture.InDatabaseAsync(async db =>
        {
            var tracked = await db.Subjects.SingleAsync(s => s.Id == subject.Id);
            var detections = 0;
            db.ChangeTracker.DetectingAllChanges += (_, _) => detections++;
            tracked.Email = newer.Email;
            tracked.Hetu = newer.Hetu;
            await db.SaveChangesAsync();
            return detections;
        });

        // The hashing looks at the subjects alone; every tracked row is scanned once, by SaveChanges.
        Assert.Equal(1, detections);
        Assert.Equal([subject.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Email: newer.Email)));
        Assert.Equal([subject.Id], await RawSubjects.FindAsync(fixture, new SubjectKeys(Hetu: newer.Hetu)));
        Assert.Empty(await RawSubjects.FindAsync(fixture, new SubjectKeys(Email: person.Email)));
        Assert.Empty(await RawSubjects.FindAsync(fixture, new SubjectKeys(Hetu: person.Hetu)));
        Assert.Equal(ExpectedHash("hetu", newer.Hetu), (await RawSubjects.RowAsync(fixture, subject.Id))["hetu_hash"]);
    }

    [Fact]
    public async Task Second_subject_with_the_same_identity_code_is_refused_by_the_unique_hash_index()
    {
        var person = TestPerson.Next();
        await RawSubjects.AddAsync(fixture, person.ToSubject());
        var twin = new Subject { Id = Guid.CreateVersion7(), Hetu = person.Hetu, CreatedAt = DateTimeOffset.UtcNow };

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => RawSubjects.AddAsync(fixture, twin));

        Assert.Contains("ix_subjects_hetu_hash", error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_identity_code_encrypts_to_a_different_ciphertext_each_time_and_reads_back_only_in_its_own_column()
    {
        var protection = new IdentifierProtection(RegistryFixture.IdentifierKey, RegistryFixture.EncryptionKey);

        var first = protection.Encrypt("subjects", "hetu_encrypted", "131052-308T");
        var second = protection.Encrypt("subjects", "hetu_encrypted", "131052-308T");

        Assert.NotEqual(first, second);
        Assert.Equal("131052-308T", protection.Decrypt("subjects", "hetu_encrypted", first));
        Assert.Equal("131052-308T", protection.Decrypt("subjects", "hetu_encrypted", second));
        Assert.ThrowsAny<CryptographicException>(() => protection.Decrypt("subjects", "email_encrypted", first));
        Assert.ThrowsAny<CryptographicException>(() =>
            new IdentifierProtection(RegistryFixture.IdentifierKey, "another-encryption-key-0123456789abcdef").Decrypt("subjects", "hetu_encrypted", first));
    }

    [Fact]
    public void Values_written_under_a_retired_key_are_read_while_it_is_a_previous_key()
    {
        const string retired = "a-retired-encryption-key-0123456789abcdef";
        var written = new IdentifierProtection(RegistryFixture.IdentifierKey, retired).Encrypt("subjects", "email_encrypted", "old@example.fi");
        var rotated = new IdentifierProtection(RegistryFixture.IdentifierKey, RegistryFixture.EncryptionKey, [retired]);

        Assert.Equal("old@example.fi", rotated.Decrypt("subjects", "email_encrypted", written));
        Assert.False(rotated.IsCurrent(written));
        Assert.True(rotated.IsCurrent(rotated.Encrypt("subjects", "email_encrypted", "old@example.fi")));
        var error = Assert.ThrowsAny<CryptographicException>(() =>
            new IdentifierProtection(RegistryFixture.IdentifierKey, RegistryFixture.EncryptionKey).Decrypt("subjects", "email_encrypted", written));
        Assert.Contains("Registry:PreviousIdentifierEncryptionKeys", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, RegistryFixture.EncryptionKey, "Registry:IdentifierKey is missing")]
    [InlineData(RegistryFixture.IdentifierKey, null, "Registry:IdentifierEncryptionKey is missing")]
    [InlineData(RegistryFixture.IdentifierKey, "too-short", "Registry:IdentifierEncryptionKey is too short")]
    [InlineData(RegistryFixture.IdentifierKey, RegistryFixture.IdentifierKey, "must be different keys")]
    public void Registry_without_valid_identifier_keys_stops_at_start_saying_which(string? identifierKey, string? encryptionKey, string reason)
    {
        var registry = Host.CreateApplicationBuilder();
        registry.Configuration.AddInMemoryCollection(Settings(identifierKey, encryptionKey));

        var error = Assert.Throws<InvalidOperationException>(() => registry.AddApplicationServices());

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("identifier", "Registry:IdentifierKey is not the key")]
    [InlineData("encryption", "Neither Registry:IdentifierEncryptionKey nor any of Registry:PreviousIdentifierEncryptionKeys is the key")]
    public async Task Registry_started_on_existing_data_with_another_key_refuses_to_start(string changedKey, string reason)
    {
        const string other = "a-different-key-0123456789abcdef-0123";
        var registry = Host.CreateApplicationBuilder();
        registry.Configuration.AddInMemoryCollection(Settings(
            changedKey == "identifier" ? other : RegistryFixture.IdentifierKey,
            changedKey == "encryption" ? other : RegistryFixture.EncryptionKey));
        registry.AddApplicationServices();
        using var host = registry.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The fixture's settings but the keys; with its token issuer, so that only a key can stop the start.</summary>
    private Dictionary<string, string?> Settings(string? identifierKey, string? encryptionKey) =>
        new(fixture.Identity.ValidationSettings.Concat(fixture.ServiceSettings(identifierKey: identifierKey, encryptionKey: encryptionKey)));

    /// <summary>HMAC-SHA256 under the HKDF-derived key, written out here independently of the registry's code.</summary>
    private static byte[] ExpectedHash(string kind, string value)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(RegistryFixture.IdentifierKey), 32,
            info: Encoding.UTF8.GetBytes("procexon/registry/identifier-hash/v1"));
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{kind}:{value}"));
    }

    /// <summary>An identity code as it may be written: as is, without the century sign, and as its digits only.</summary>
    private static IEnumerable<string> WrittenForms(string hetu) => [hetu, hetu.Remove(6, 1), hetu[..6] + hetu[7..10]];

    private static string AsText(object? value) => value switch
    {
        null => "",
        byte[] bytes => Encoding.Latin1.GetString(bytes) + Convert.ToHexString(bytes) + Convert.ToBase64String(bytes),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
