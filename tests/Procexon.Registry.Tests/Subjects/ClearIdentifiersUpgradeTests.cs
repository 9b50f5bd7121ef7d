using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Procexon.Contracts;
using Procexon.Messaging;
using Procexon.Registry.Extensions;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Subjects;

/// <summary>
/// A registry whose database was written before every identifier was encrypted (e-mail, phone, business id and customer
/// number in clear, identity codes in their first format) starts on the new version: its migration runs
/// EncryptClearIdentifiers between the two halves of the change, on a database of its own here.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ClearIdentifiersUpgradeTests(RegistryFixture fixture)
{
    private const string LastMigrationWithClearIdentifiers = "20261203180220_DemoSubjectSequence";

    [Fact]
    public async Task A_registry_written_in_clear_is_encrypted_at_start_and_finds_and_reads_every_subject_as_before()
    {
        var database = $"registry_upgrade_{Guid.NewGuid():N}";
        var people = Enumerable.Range(0, 3).Select(_ => TestPerson.Next()).ToList();
        var ids = people.Select(_ => Guid.CreateVersion7()).ToList();
        using (var before = Registry(database, RegistryFixture.EncryptionKey))
        {
            await MigrateToAsync(before, LastMigrationWithClearIdentifiers);
            await WriteAsFirstVersionAsync(database, RegistryFixture.EncryptionKey, people, ids);
        }

        using var host = Registry(database, RegistryFixture.EncryptionKey);
        await MigratorOf(host).StartAsync(CancellationToken.None);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        for (var i = 0; i < people.Count; i++)
        {
            var person = people[i];
            var subject = await db.Subjects.AsNoTracking().SingleAsync(s => s.Id == ids[i]);
            Assert.Equal((person.Email, person.Phone, person.Hetu, person.BusinessId, person.CustomerNumber),
                (subject.Email, subject.Phone, subject.Hetu, subject.BusinessId, subject.CustomerNumber));
            Assert.Equal([ids[i]], await SubjectLookup.Matching(db.Subjects, new SubjectKeys(Email: person.Email)).Select(s => s.Id).ToListAsync());
        }

        // The clear columns are gone and nothing of any identifier is left readable in any column.
        var text = await TableAsTextAsync(database, "subjects");
        foreach (var person in people)
        {
            foreach (var value in new[] { person.Email, person.Phone, person.Hetu, person.BusinessId, person.CustomerNumber })
            {
                Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task Identity_codes_of_the_first_format_under_another_key_stop_the_start_and_keep_the_clear_values()
    {
        var database = $"registry_upgrade_{Guid.NewGuid():N}";
        var person = TestPerson.Next();
        using (var before = Registry(database, RegistryFixture.EncryptionKey))
        {
            await MigrateToAsync(before, LastMigrationWithClearIdentifiers);
            await WriteAsFirstVersionAsync(database, "the-key-it-was-really-written-with-0123456789", [person], [Guid.CreateVersion7()]);
        }

        using var host = Registry(database, RegistryFixture.EncryptionKey);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MigratorOf(host).StartAsync(CancellationToken.None));

        Assert.Contains("formerly Registry:HetuKey", error.Message, StringComparison.Ordinal);
        Assert.Contains(person.Email, await TableAsTextAsync(database, "subjects"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_migration_that_drops_the_clear_columns_refuses_to_run_before_they_are_encrypted()
    {
        var database = $"registry_upgrade_{Guid.NewGuid():N}";
        var person = TestPerson.Next();
        using var host = Registry(database, RegistryFixture.EncryptionKey);
        await MigrateToAsync(host, "20261204024658_EncryptedIdentifiers");
        await WriteAsFirstVersionAsync(database, RegistryFixture.EncryptionKey, [person], [Guid.CreateVersion7()]);

        // As `dotnet ef database update` would, without the service and its key.
        var error = await Assert.ThrowsAsync<PostgresException>(() => MigrateToAsync(host, "20261204024659_DropClearIdentifiers"));

        Assert.Contains("Identifiers not yet encrypted remain", error.MessageText, StringComparison.Ordinal);
        Assert.Contains(person.Email, await TableAsTextAsync(database, "subjects"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_whose_migration_step_has_not_run_refuses_to_start_and_changes_nothing()
    {
        var database = $"registry_unmigrated_{Guid.NewGuid():N}";
        using (var before = Registry(database, RegistryFixture.EncryptionKey))
        {
            await MigrateToAsync(before, LastMigrationWithClearIdentifiers);
        }

        using var service = RegistryHosts.Build(fixture, database, RegistryFixture.EncryptionKey,
            new() { [DatabaseMigrationSteps.MigratedBySeparateStepSetting] = "true" });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MigratorOf(service).StartAsync(CancellationToken.None));

        Assert.Contains("20261204024658_EncryptedIdentifiers", error.Message, StringComparison.Ordinal);
        Assert.Contains("migration step has not run", error.Message, StringComparison.Ordinal);
        await using var scope = service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryContext>().Database;
        var after = db.GetMigrations().SkipWhile(m => m != LastMigrationWithClearIdentifiers).Skip(1).ToList();
        Assert.Equal(after, await db.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task The_upgrade_runs_before_a_migration_the_registry_has()
    {
        var upgrade = new EncryptClearIdentifiers(null!, null!);

        var migrations = await fixture.InDatabaseAsync(db => Task.FromResult(db.Database.GetMigrations().ToList()));
        Assert.Contains(upgrade.BeforeMigration, migrations);
        Assert.Equal(LastMigrationWithClearIdentifiers, migrations[migrations.IndexOf(upgrade.BeforeMigration) - 2]);
    }

    private IHost Registry(string database, string encryptionKey) => RegistryHosts.Build(fixture, database, encryptionKey);

    private static ServiceDatabaseMigrator<RegistryContext> MigratorOf(IHost host) => RegistryHosts.MigratorOf(host);

    private static async Task MigrateToAsync(IHost host, string migration)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RegistryContext>().GetService<IMigrator>().MigrateAsync(migration);
    }

    /// <summary>Rows as the registry wrote them before: clear columns, and identity codes sealed as <c>1 | nonce | tag | ciphertext</c>.</summary>
    private async Task WriteAsFirstVersionAsync(string database, string secret, List<TestPerson> people, List<Guid> ids)
    {
        var hasher = new SubjectKeyHasher(RegistryFixture.IdentifierKey);
        var hetuKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "procexon/registry/hetu-aes-gcm/v1"u8.ToArray());
        await using var connection = new NpgsqlConnection(fixture.Postgres.ConnectionString(database));
        await connection.OpenAsync();
        await using (var check = new NpgsqlCommand(
            "INSERT INTO identifier_key_checks (id, identifier_key_hash, hetu_key_ciphertext, created_at) VALUES (1, $1, $2, now()) ON CONFLICT DO NOTHING", connection))
        {
            check.Parameters.Add(new() { Value = hasher.Hash(IdentifierKind.CustomerNumber, IdentifierKeyCheck.Probe) });
            check.Parameters.Add(new() { Value = FirstFormat(hetuKey, IdentifierKeyCheck.Probe) });
            await check.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < people.Count; i++)
        {
            var p = people[i];
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO subjects (id, name, email, phone, hetu_encrypted_or_v1, business_id, customer_number, created_at,
                                      email_hash, phone_hash, hetu_hash, business_id_hash, customer_number_hash)
                VALUES ($1, 'Ennen Salausta', $2, $3, $4, $5, $6, now(), $7, $8, $9, $10, $11)
                """.Replace("hetu_encrypted_or_v1", await HetuColumnAsync(connection), StringComparison.Ordinal), connection);
            foreach (var value in new object[]
            {
                ids[i], p.Email, p.Phone, FirstFormat(hetuKey, p.Hetu), p.BusinessId, p.CustomerNumber,
                hasher.Hash(IdentifierKind.Email, p.Email), hasher.Hash(IdentifierKind.Phone, p.Phone), hasher.Hash(IdentifierKind.Hetu, p.Hetu),
                hasher.Hash(IdentifierKind.BusinessId, p.BusinessId), hasher.Hash(IdentifierKind.CustomerNumber, p.CustomerNumber),
            })
            {
                insert.Parameters.Add(new() { Value = value });
            }

            await insert.ExecuteNonQueryAsync();
        }
    }

    // Before EncryptedIdentifiers the first format lives in hetu_encrypted; after it, moved aside to hetu_encrypted_v1.
    private static async Task<string> HetuColumnAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'subjects' AND column_name = 'hetu_encrypted_v1'", connection);
        return (long)(await command.ExecuteScalarAsync())! > 0 ? "hetu_encrypted_v1" : "hetu_encrypted";
    }

    private static byte[] FirstFormat(byte[] key, string value)
    {
        var plain = Encoding.ASCII.GetBytes(value);
        var sealedValue = new byte[1 + 12 + 16 + plain.Length];
        sealedValue[0] = 1;
        RandomNumberGenerator.Fill(sealedValue.AsSpan(1, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(sealedValue.AsSpan(1, 12), plain, sealedValue.AsSpan(1 + 12 + 16), sealedValue.AsSpan(1 + 12, 16));
        return sealedValue;
    }

    private async Task<string> TableAsTextAsync(string database, string table)
    {
        await using var connection = new NpgsqlConnection(fixture.Postgres.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM {table} t", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
