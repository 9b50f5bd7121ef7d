using System.Net;
using System.Text.Json;
using Procexon.Testing;

namespace Procexon.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class ClientCredentialsTests(IdentityFixture fixture)
{
    private IdentityProvider Provider => fixture.Provider;

    [Fact]
    public async Task Client_credentials_token_is_an_rs256_jwt_for_the_api_with_the_clients_role_that_verifies_against_the_jwks()
    {
        var token = await Tokens.ValidateAsync(Provider, await Provider.AccessTokenAsync("register-admin"));

        Assert.Equal("RS256", token.Alg);
        Assert.Equal(Provider.Issuer.AbsoluteUri, token.Issuer);
        Assert.Equal(["procexon-api"], token.Audiences);
        Assert.Equal("test-register-admin", token.Subject);
        Assert.Equal("test-register-admin", token.GetClaim("client_id").Value);
        Assert.Equal(["register-admin"], token.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.False(token.TryGetClaim("recipient", out _));
        Assert.InRange(token.ValidTo - token.IssuedAt, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));
    }

    [Theory]
    [InlineData("accounting-firm")]
    [InlineData("website-it-company")]
    public async Task Processor_token_carries_its_recipient_and_the_processor_role(string recipient)
    {
        var token = await Tokens.ValidateAsync(Provider, await Provider.ProcessorTokenAsync(recipient));

        Assert.Equal(recipient, token.GetClaim("recipient").Value);
        Assert.Equal(["processor"], token.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal($"test-processor-{recipient}", token.GetClaim("client_id").Value);
    }

    [Fact]
    public async Task Tokens_are_cached_per_role_until_near_expiry()
    {
        Assert.Equal(await Provider.AccessTokenAsync("auditor"), await Provider.AccessTokenAsync("auditor"));
        Assert.NotEqual(await Provider.AccessTokenAsync("auditor"), await Provider.AccessTokenAsync("customer-service"));
    }

    [Fact]
    public async Task Wrong_client_secret_is_refused_with_an_oauth_error()
    {
        using var response = await Provider.RequestClientTokenAsync("test-auditor", "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("invalid_client", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Public_client_cannot_use_client_credentials()
    {
        using var response = await Provider.RequestClientTokenAsync(IdentityProvider.BrowserClientId, "anything");

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, response.StatusCode.ToString());
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty("error", out _));
    }
}
