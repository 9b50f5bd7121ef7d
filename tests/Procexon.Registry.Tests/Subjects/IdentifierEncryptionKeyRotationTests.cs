using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Procexon.Messaging;
using Procexon.Messaging.Encryption;
using Procexon.Registry.Extensions;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Subjects;

/// <summary>
/// Rotating <c>Registry:IdentifierEncryptionKey</c> as docs/security.md says: start with the new key and the old one
/// among the previous keys; the subjects stay readable at once, the background rewrap rewrites every value under the
/// new key, and afterwards the registry starts and reads them with the new key alone. On a database of its own.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class IdentifierEncryptionKeyRotationTests(RegistryFixture fixture)
{
    private const string NewKey = "the-new-identifier-encryption-key-0123456789";

    [Fact]
    public async Task After_a_rotation_every_identifier_is_rewritten_under_the_new_key_and_the_old_key_can_go()
    {
        var database = $"registry_rotation_{Guid.NewGuid():N}";
        var person = TestPerson.Next();
        var subject = person.ToSubject();
        using (var before = await StartedAsync(database, RegistryFixture.EncryptionKey))
        {
            await using var scope = before.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryContext>();
            db.Subjects.Add(subject);
            await db.SaveChangesAsync();
        }

        var oldKeyId = new IdentifierProtection(RegistryFixture.IdentifierKey, RegistryFixture.EncryptionKey).KeyId;
        var newKeyId = new IdentifierProtection(RegistryFixture.IdentifierKey, NewKey).KeyId;
        Assert.Equal([oldKeyId], await KeyIdsAsync(database));

        // Without the old key the values cannot be read: the start says which settings to give.
        using (var withoutOldKey = Registry(database, NewKey))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MigratorOf(withoutOldKey).StartAsync(CancellationToken.None));
            Assert.Contains("Registry:PreviousIdentifierEncryptionKeys", error.Message, StringComparison.Ordinal);
        }

        using (var rotating = Registry(database, NewKey, RegistryFixture.EncryptionKey))
        {
            await MigratorOf(rotating).StartAsync(CancellationToken.None);
            using var rewrap = ActivatorUtilities.CreateInstance<EncryptedColumnRewrap<RegistryContext>>(rotating.Services);
            await rewrap.StartAsync(CancellationToken.None);
            await rewrap.ExecuteTask!;
        }

        Assert.Equal([newKeyId], await KeyIdsAsync(database));
        using var after = await StartedAsync(database, NewKey);
        await using var reading = after.Services.CreateAsyncScope();
        var loaded = await reading.ServiceProvider.GetRequiredService<RegistryContext>().Subjects.AsNoTracking().SingleAsync(s => s.Id == subject.Id);
        Assert.Equal((person.Email, person.Phone, person.Hetu, person.BusinessId, person.CustomerNumber),
            (loaded.Email, loaded.Phone, loaded.Hetu, loaded.BusinessId, loaded.CustomerNumber));
    }

    [Fact]
    public void The_rewrap_finds_every_encrypted_column_of_the_registry_in_its_model()
    {
        var model = fixture.Registry.Services.CreateScope().ServiceProvider.GetRequiredService<RegistryContext>().Model;

        var tables = EncryptedColumns.Tables(model).OrderBy(t => t.Table, StringComparer.Ordinal).ToList();
        Assert.Single(fixture.Registry.Services.GetServices<IHostedService>().OfType<EncryptedColumnRewrap<RegistryContext>>());

        Assert.Equal(["outbox_messages", "subject_aliases", "subjects"], tables.Select(t => t.Table));
        var (outbox, aliases, subjects) = (tables[0], tables[1], tables[2]);
        // Events that carry personal values wait sealed, so a rotation rewrites those left under the old key too.
        Assert.Equal(["id"], outbox.Key);
        Assert.Equal(["sealed_payload"], outbox.Columns);
        Assert.Equal(["key_hash"], aliases.Key);
        Assert.Equal(["customer_number_encrypted"], aliases.Columns);
        Assert.Equal(["id"], subjects.Key);
        Assert.Equal(["business_id_encrypted", "customer_number_encrypted", "email_encrypted", "hetu_encrypted", "phone_encrypted"],
            subjects.Columns.Order());
    }

    private async Task<IHost> StartedAsync(string database, string key)
    {
        var host = Registry(database, key);
        await MigratorOf(host).StartAsync(CancellationToken.None);
        return host;
    }

    private IHost Registry(string database, string encryptionKey, string? previousKey = null) =>
        RegistryHosts.Build(fixture, database, encryptionKey, new() { ["Registry:PreviousIdentifierEncryptionKeys:0"] = previousKey });

    private static ServiceDatabaseMigrator<RegistryContext> MigratorOf(IHost host) => RegistryHosts.MigratorOf(host);

    /// <summary>The key ids (bytes 2–5) of every encrypted value of every subject, and of the key check.</summary>
    private async Task<List<string>> KeyIdsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(fixture.Postgres.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT DISTINCT encode(substring(v from 2 for 4), 'hex') FROM (
                SELECT unnest(ARRAY[email_encrypted, phone_encrypted, hetu_encrypted, business_id_encrypted, customer_number_encrypted]) AS v FROM subjects
                UNION ALL SELECT encryption_key_ciphertext FROM identifier_key_checks) values
            WHERE v IS NOT NULL
            """, connection);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
