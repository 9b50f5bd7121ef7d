using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Procexon.Testing;

namespace Procexon.Identity.Tests;

/// <summary>
/// Two replicas of a service started together on an empty key ring end up with one ring: what one protects (a sign-in
/// cookie, the console's circuit state) the other opens. Data Protection primes its ring in a hosted service at start
/// and makes a key when it finds none, so replicas starting together could each make and keep their own; the key is now
/// made by a seeder under the seeding lock, which runs before that hosted service. The race itself happens only when the
/// two starts overlap closely, so the test also holds the order it depends on. A database server of the test's own, so
/// that the ring starts empty.
/// </summary>
public sealed class ReplicaKeyRingTests
{
    [Fact]
    public async Task Replicas_started_together_on_an_empty_key_ring_share_one_key_and_open_what_the_other_protected()
    {
        await using var postgres = await PostgresServer.StartAsync();
        // Replicas share the secret that seals the ring, as the AppHost gives every replica of a service the same settings.
        var shared = new Dictionary<string, string?> { ["Identity:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        // The schema first, as the platform's migration step does before any replica starts; then an empty ring.
        await using var first = await IdentityProvider.StartAsync(postgres, shared);
        await using (var emptying = new NpgsqlConnection(postgres.ConnectionString("identitydb")))
        {
            await emptying.OpenAsync();
            await using var delete = new NpgsqlCommand("DELETE FROM data_protection_keys", emptying);
            await delete.ExecuteNonQueryAsync();
        }

        var secondStarting = IdentityProvider.StartAsync(postgres, shared);
        await Task.WhenAll(first.RestartAsync(), secondStarting);
        await using var second = await secondStarting;

        // Each protects first, as each replica answers its own first request; then each opens the other's.
        var fromFirst = Protector(first).Protect("signed in at the first replica");
        var fromSecond = Protector(second).Protect("signed in at the second replica");
        Assert.Equal("signed in at the first replica", Protector(second).Unprotect(fromFirst));
        Assert.Equal("signed in at the second replica", Protector(first).Unprotect(fromSecond));

        // The seeder runs in the migrator's start; Data Protection's priming must come after it.
        var order = first.Services.GetServices<IHostedService>().Select(h => h.GetType().Name).ToList();
        Assert.True(order.FindIndex(n => n.StartsWith("ServiceDatabaseMigrator", StringComparison.Ordinal)) is >= 0 and var migrator
            && order.IndexOf("DataProtectionHostedService") > migrator, $"Hosted services start in this order: {string.Join(", ", order)}");

        await using var connection = new NpgsqlConnection(postgres.ConnectionString("identitydb"));
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM data_protection_keys", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    private static IDataProtector Protector(IdentityProvider replica) =>
        replica.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("ReplicaKeyRingTests");
}
