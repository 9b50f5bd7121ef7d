using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Procexon.RightsRequests.Infrastructure;

namespace Procexon.RightsRequests.Tests;

/// <summary>
/// Rotating <c>RightsRequests:IdentifierKey</c>: the new secret becomes the key, the old one moves to
/// <c>RightsRequests:PreviousIdentifierKeys</c>; what the old key wrote still reads, and everything written from then on
/// carries the new key's id.
/// </summary>
[Trait("Category", "Unit")]
public sealed class IdentifierKeyRotationTests
{
    private const string OldKey = "the-key-this-service-wrote-with-first-0123";
    private const string NewKey = "the-key-it-was-rotated-to-afterwards-45678";

    [Fact]
    public void After_a_rotation_old_values_read_under_the_previous_key_and_new_values_are_written_under_the_new_one()
    {
        var before = new RequesterIdentifierProtection(OldKey);
        var written = before.Encrypt("subject_email", "maija@example.fi");

        var rotated = Configured(NewKey, OldKey);

        Assert.Equal("maija@example.fi", rotated.Decrypt("subject_email", written));
        var rewritten = rotated.Encrypt("subject_email", "maija@example.fi");
        Assert.Equal(rotated.KeyId, Convert.ToHexStringLower(rewritten.AsSpan(1, 4)));
        Assert.NotEqual(before.KeyId, rotated.KeyId);
        Assert.Equal([rotated.KeyId, before.KeyId], rotated.ReadableKeyIds.ToArray());
        // The old key alone cannot read what the new one wrote, and the binding to the column still holds.
        Assert.ThrowsAny<CryptographicException>(() => before.Decrypt("subject_email", rewritten));
        Assert.ThrowsAny<CryptographicException>(() => rotated.Decrypt("subject_name", written));
    }

    [Fact]
    public void The_rewrap_after_a_rotation_covers_every_encrypted_column_including_the_answer_copies()
    {
        using var db = new RightsRequestsContextDesignTimeFactory().CreateDbContext([]);

        var tables = Procexon.Messaging.Encryption.EncryptedColumns.Tables(db.Model).ToDictionary(t => t.Table);

        Assert.Equal(["id"], tables["rights_requests"].Key);
        Assert.Equal(["corrections_encrypted", "held_identifiers", "subject_business_id", "subject_customer_number", "subject_email", "subject_hetu",
            "subject_name", "subject_phone"], tables["rights_requests"].Columns.Order());
        Assert.Equal(["request_id", "register"], tables["register_data_copies"].Key);
        Assert.Equal(["records_encrypted"], tables["register_data_copies"].Columns);
    }

    [Fact]
    public void The_encryption_of_corrections_kept_in_clear_runs_before_a_migration_the_service_has()
    {
        using var db = new RightsRequestsContextDesignTimeFactory().CreateDbContext([]);

        // A name that matched no migration would skip the upgrade, and the migration after it would refuse to run.
        Assert.Contains(new EncryptClearCorrections(new RequesterIdentifierProtection(NewKey)).BeforeMigration, db.Database.GetMigrations());
    }

    [Fact]
    public void Without_the_previous_key_an_old_value_fails_naming_the_key_it_was_written_with()
    {
        var before = new RequesterIdentifierProtection(OldKey);
        var written = before.Encrypt("subject_hetu", "131052-308T");

        var error = Assert.ThrowsAny<CryptographicException>(() => Configured(NewKey).Decrypt("subject_hetu", written));

        Assert.Contains(before.KeyId, error.Message, StringComparison.Ordinal);
        Assert.Contains(RequesterIdentifierProtection.PreviousKeysSetting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_previous_key_too_short_to_be_one_stops_the_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Configured(NewKey, "short"));

        Assert.Contains(RequesterIdentifierProtection.PreviousKeysSetting, error.Message, StringComparison.Ordinal);
    }

    private static RequesterIdentifierProtection Configured(string key, params string[] previous)
    {
        var settings = new Dictionary<string, string?> { [RequesterIdentifierProtection.KeySetting] = key };
        for (var i = 0; i < previous.Length; i++)
        {
            settings[$"{RequesterIdentifierProtection.PreviousKeysSetting}:{i}"] = previous[i];
        }

        return RequesterIdentifierProtection.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }
}
