using Procexon.Testing;

namespace Procexon.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class SigningKeyTests(IdentityFixture fixture)
{
    private IdentityProvider Provider => fixture.Provider;

    [Fact]
    public async Task Signing_key_survives_a_restart_so_tokens_issued_before_still_verify()
    {
        using var before = await Provider.RequestClientTokenAsync("test-auditor", Provider.SecretOf("test-auditor"));
        var token = System.Text.Json.JsonDocument.Parse(await before.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        var kid = (await Tokens.ValidateAsync(Provider, token)).Kid;
        var keysBefore = (await Tokens.KeySetAsync(Provider)).Keys.Select(k => k.Kid).ToList();

        await Provider.RestartAsync();

        Assert.Equal(keysBefore, (await Tokens.KeySetAsync(Provider)).Keys.Select(k => k.Kid).ToList());
        Assert.Equal(kid, (await Tokens.ValidateAsync(Provider, token)).Kid);
        using var after = await Provider.RequestClientTokenAsync("test-auditor", Provider.SecretOf("test-auditor"));
        var newToken = System.Text.Json.JsonDocument.Parse(await after.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        Assert.Equal(kid, (await Tokens.ValidateAsync(Provider, newToken)).Kid);
    }
}
