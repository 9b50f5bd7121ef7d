using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Procexon.Testing;

namespace Procexon.Identity.Tests;

/// <summary>Checks a token as a resource server would: signature against the published JWKS, issuer, audience, lifetime.</summary>
public static class Tokens
{
    public static async Task<JsonWebKeySet> KeySetAsync(IdentityProvider provider)
    {
        using var http = new HttpClient();
        var discovery = await http.GetFromJsonAsync<JsonElement>(provider.MetadataAddress);
        Assert.Equal(provider.Issuer.AbsoluteUri, discovery.GetProperty("issuer").GetString());
        return new JsonWebKeySet(await http.GetStringAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!)));
    }

    public static async Task<JsonWebToken> ValidateAsync(IdentityProvider provider, string token)
    {
        var keys = await KeySetAsync(provider);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = provider.Issuer.AbsoluteUri,
            ValidAudience = "procexon-api",
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt"],
        });
        Assert.True(result.IsValid, result.Exception?.ToString());
        return (JsonWebToken)result.SecurityToken;
    }
}
