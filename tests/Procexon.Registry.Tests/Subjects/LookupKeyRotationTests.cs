using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Procexon.Contracts;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Subjects;

/// <summary>
/// Rotating <c>Registry:IdentifierKey</c>, the lookup key, as docs/security.md says: start with the new key and the old
/// one among <c>Registry:PreviousIdentifierKeys</c>. Every subject and merged customer number is found by the new
/// key's hashes at once, a request hashed with the old key before the rotation still finds its subject, the
/// suppression list made under the old key still suppresses, and once the old key is removed its kept hashes go.
/// On a database of its own.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class LookupKeyRotationTests(RegistryFixture fixture)
{
    private const string NewKey = "the-new-subject-lookup-key-0123456789abcdef";
    private const string UnknownKey = "a-lookup-key-that-wrote-nothing-here-0123456789";

    [Fact]
    public async Task After_a_rotation_subjects_are_found_by_the_new_key_and_requests_hashed_before_it_by_the_old()
    {
        var database = $"registry_lookup_rotation_{Guid.NewGuid():N}";
        var person = TestPerson.Next();
        var subject = person.ToSubject();
        var formerCustomerNumber = $"C-{Guid.NewGuid():N}"[..12];
        var suppressedEmail = $"suppressed.{Guid.NewGuid():N}@example.fi";
        var oldKey = new SubjectKeyHasher(RegistryFixture.IdentifierKey);
        var newKey = new SubjectKeyHasher(NewKey);

        using (var before = await StartedAsync(database, RegistryFixture.IdentifierKey))
        {
            await using var scope = before.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryContext>();
            db.Subjects.Add(subject);
            db.SubjectAliases.Add(new SubjectAlias
            {
                KeyHash = db.Protection.Hash(IdentifierKind.CustomerNumber, formerCustomerNumber),
                CustomerNumber = formerCustomerNumber,
                Kind = "customer-number",
                SubjectId = subject.Id,
                MergeId = Guid.CreateVersion7(),
            });
            foreach (var (kind, hash) in scope.ServiceProvider.GetRequiredService<SuppressionKeys>().For(suppressedEmail, null))
            {
                db.SuppressionEntries.Add(new SuppressionEntry { KeyHash = hash, Kind = kind, CreatedAt = DateTimeOffset.UtcNow });
            }

            await db.SaveChangesAsync();
        }

        // A key that is neither the one that hashed the subjects nor a previous one stops the start, naming the setting.
        using (var unknown = Registry(database, UnknownKey))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RegistryHosts.MigratorOf(unknown).StartAsync(CancellationToken.None));
            Assert.Contains(IdentifierProtection.PreviousIdentifierKeysSetting, error.Message, StringComparison.Ordinal);
        }

        using (var rotated = await StartedAsync(database, NewKey, previousKey: RegistryFixture.IdentifierKey))
        {
            await using var scope = rotated.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryContext>();

            Assert.Equal([subject.Id], await FoundAsync(db, newKey.HashesOf(person.Keys)));
            Assert.Equal([subject.Id], await FoundAsync(db, newKey.HashesOf(new SubjectKeys(Email: person.Email))));
            Assert.Equal([subject.Id], await FoundAsync(db, newKey.HashesOf(new SubjectKeys(CustomerNumber: formerCustomerNumber))));
            // A request verified and hashed before the rotation, still queued: it finds the same subject.
            Assert.Equal([subject.Id], await FoundAsync(db, oldKey.HashesOf(new SubjectKeys(Hetu: person.Hetu))));
            Assert.Equal([subject.Id], await FoundAsync(db, oldKey.HashesOf(new SubjectKeys(CustomerNumber: formerCustomerNumber))));
            // A business ID alone still names the company's subjects; beside a personal identifier it does not widen the match.
            Assert.Equal([subject.Id], await FoundAsync(db, oldKey.HashesOf(new SubjectKeys(BusinessId: person.BusinessId))));
            Assert.Empty(await FoundAsync(db, oldKey.HashesOf(new SubjectKeys(Email: "nobody@example.fi", BusinessId: person.BusinessId))));

            var suppression = scope.ServiceProvider.GetRequiredService<SuppressionKeys>();
            var checkedHashes = suppression.Checked(suppressedEmail, null).Select(e => e.Hash).ToList();
            Assert.True(await db.SuppressionEntries.AnyAsync(e => checkedHashes.Contains(e.KeyHash)), "an address suppressed under the old key stays suppressed");
            Assert.Equal(6, await db.RetiredLookupHashes.CountAsync());
        }

        // The old key removed: its kept hashes go, and a request hashed with it is refused instead of finding nobody.
        using var after = await StartedAsync(database, NewKey);
        await using var reading = after.Services.CreateAsyncScope();
        var registry = reading.ServiceProvider.GetRequiredService<RegistryContext>();
        Assert.Equal(0, await registry.RetiredLookupHashes.CountAsync());
        Assert.Equal([subject.Id], await FoundAsync(registry, newKey.HashesOf(person.Keys)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => FoundAsync(registry, oldKey.HashesOf(person.Keys)));
    }

    [Fact]
    public async Task Erasing_a_subject_takes_the_hashes_kept_for_it()
    {
        var database = $"registry_lookup_rotation_{Guid.NewGuid():N}";
        var subject = TestPerson.Next().ToSubject();
        using (var before = await StartedAsync(database, RegistryFixture.IdentifierKey))
        {
            await using var scope = before.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryContext>();
            db.Subjects.Add(subject);
            await db.SaveChangesAsync();
        }

        using var rotated = await StartedAsync(database, NewKey, previousKey: RegistryFixture.IdentifierKey);
        await using var reading = rotated.Services.CreateAsyncScope();
        var registry = reading.ServiceProvider.GetRequiredService<RegistryContext>();
        Assert.Equal(5, await registry.RetiredLookupHashes.CountAsync(h => h.SubjectId == subject.Id));

        await registry.Subjects.Where(s => s.Id == subject.Id).ExecuteDeleteAsync();

        Assert.Equal(0, await registry.RetiredLookupHashes.CountAsync(h => h.SubjectId == subject.Id));
    }

    private static Task<List<Guid>> FoundAsync(RegistryContext db, SubjectKeyHashes hashes) =>
        SubjectLookup.Matching(db.Subjects, hashes).Select(s => s.Id).ToListAsync();

    private async Task<IHost> StartedAsync(string database, string identifierKey, string? previousKey = null)
    {
        var host = Registry(database, identifierKey, previousKey);
        await RegistryHosts.MigratorOf(host).StartAsync(CancellationToken.None);
        return host;
    }

    private IHost Registry(string database, string identifierKey, string? previousKey = null) =>
        RegistryHosts.Build(fixture, database, RegistryFixture.EncryptionKey, new()
        {
            ["Registry:IdentifierKey"] = identifierKey,
            ["Registry:PreviousIdentifierKeys:0"] = previousKey,
        });
}
