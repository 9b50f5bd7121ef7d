using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Procexon.Identity.Apis;

/// <summary>
/// The claims a token carries (DESIGN §10): <c>sub</c>, <c>name</c>, one <c>role</c> per role, <c>recipient</c> for a
/// processor; OpenIddict adds <c>client_id</c>, <c>iss</c>, <c>aud</c> and <c>exp</c>. Everything goes into the access
/// token; the id token gets what its scopes ask for.
/// </summary>
public static class TokenClaims
{
    public static ClaimsIdentity NewIdentity() => new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    public static async Task<ClaimsIdentity> OfUserAsync(ClaimsIdentity identity, UserManager<ApplicationUser> users, ApplicationUser user)
    {
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Name, string.IsNullOrEmpty(user.DisplayName) ? user.UserName : user.DisplayName)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)]);
        return identity;
    }

    /// <summary>When the user last entered their credentials (<c>auth_time</c>), for clients that ask with <c>max_age</c>.</summary>
    public static void SetAuthenticationTime(ClaimsIdentity identity, DateTimeOffset signedInAt) =>
        identity.SetClaim(Claims.AuthenticationTime, (long?)signedInAt.ToUnixTimeSeconds());

    public static ClaimsIdentity OfClient(string clientId, string? displayName, IReadOnlyDictionary<string, JsonElement> properties)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, clientId).SetClaim(Claims.Name, displayName ?? clientId);
        var roles = properties.TryGetValue(ConfigurationSeeder.RolesProperty, out var stored)
            ? stored.Deserialize<string[]>() ?? []
            : [];
        identity.SetClaims(Claims.Role, [.. roles]);
        if (properties.TryGetValue(ConfigurationSeeder.RecipientProperty, out var recipient))
        {
            identity.SetClaim(ApiResource.RecipientClaim, recipient.GetString());
        }

        return identity;
    }

    /// <summary>Scopes, audience and destinations: the last step before the identity is signed in.</summary>
    public static ClaimsPrincipal ForTokens(ClaimsIdentity identity, IEnumerable<string> scopes)
    {
        identity.SetScopes(scopes);
        identity.SetResources(ApiResource.Audience);
        identity.SetDestinations(claim => DestinationsOf(claim, identity));
        return new ClaimsPrincipal(identity);
    }

    private static IEnumerable<string> DestinationsOf(Claim claim, ClaimsIdentity identity)
    {
        switch (claim.Type)
        {
            case Claims.Subject:
                return [Destinations.AccessToken, Destinations.IdentityToken];
            case Claims.Name or Claims.PreferredUsername:
                return identity.HasScope(Scopes.Profile) ? [Destinations.AccessToken, Destinations.IdentityToken] : [Destinations.AccessToken];
            case Claims.Role:
                return identity.HasScope(Scopes.Roles) ? [Destinations.AccessToken, Destinations.IdentityToken] : [Destinations.AccessToken];
            case ApiResource.RecipientClaim:
                return [Destinations.AccessToken];
            case Claims.AuthenticationTime:
                return [Destinations.IdentityToken];
            default:
                // ASP.NET Core Identity's security stamp and anything else stay out of tokens.
                return [];
        }
    }
}
