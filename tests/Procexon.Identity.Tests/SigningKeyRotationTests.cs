using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Procexon.Identity.Infrastructure;
using Procexon.Testing;

namespace Procexon.Identity.Tests;

/// <summary>Rotation moves a clock months ahead, so it runs on a provider and database of its own.</summary>
[Collection(IdentityCollection.Name)]
public sealed class SigningKeyRotationTests(IdentityFixture fixture)
{
    [Fact]
    public async Task After_its_signing_lifetime_a_new_key_signs_while_the_old_one_stays_published_until_its_grace_period_ends()
    {
        await using var provider = await IdentityProvider.StartAsync(fixture.Postgres, new Dictionary<string, string?>
        {
            ["ConnectionStrings:identitydb"] = fixture.Postgres.ConnectionString("identitydb_rotation"),
            ["Identity:SigningKeyLifetime"] = "90.00:00:00",
            ["Identity:SigningKeyGracePeriod"] = "30.00:00:00",
        });
        var oldToken = await provider.AccessTokenAsync("auditor");
        var oldKid = (await Tokens.ValidateAsync(provider, oldToken)).Kid;

        await RotateAtAsync(provider, DateTimeOffset.UtcNow.AddDays(91));

        var published = (await Tokens.KeySetAsync(provider)).Keys.Select(k => k.Kid).ToList();
        Assert.Equal(2, published.Count);
        Assert.Contains(oldKid, published);
        using var response = await provider.RequestClientTokenAsync("test-auditor", provider.SecretOf("test-auditor"));
        var newToken = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        var newKid = (await Tokens.ValidateAsync(provider, newToken)).Kid;
        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(oldKid, (await Tokens.ValidateAsync(provider, oldToken)).Kid);

        // 90 days of signing and 30 of grace after its creation, the first key is gone from the JWKS.
        await RotateAtAsync(provider, DateTimeOffset.UtcNow.AddDays(121));

        var later = (await Tokens.KeySetAsync(provider)).Keys.Select(k => k.Kid).ToList();
        Assert.DoesNotContain(oldKid, later);
        Assert.Contains(newKid, later);
    }

    private static async Task RotateAtAsync(IdentityProvider provider, DateTimeOffset now)
    {
        var rotation = ActivatorUtilities.CreateInstance<SigningKeyRotation>(provider.Services, (TimeProvider)new FakeTimeProvider(now));
        await using var scope = provider.Services.CreateAsyncScope();
        await rotation.RotateAsync(scope.ServiceProvider.GetRequiredService<IdentityContext>(), CancellationToken.None);
    }
}
