using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Procexon.Console.Authentication;

namespace Procexon.Console.Tests;

/// <summary>The server-side sessions behind the console's cookie, and the discovery document it hands the browser.</summary>
public sealed class SessionsTests
{
    [Fact]
    public async Task A_stored_session_is_found_by_its_random_key_which_the_principal_carries_and_is_gone_once_removed()
    {
        using var sessions = new ServerSideSessions();
        var ticket = Ticket(DateTimeOffset.UtcNow.AddHours(1));
        ticket.Properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = "secret-token" }]);

        var key = await sessions.StoreAsync(ticket);
        var other = await sessions.StoreAsync(Ticket(DateTimeOffset.UtcNow.AddHours(1)));

        Assert.NotEqual(key, other);
        Assert.True(Convert.FromBase64String(key).Length == 32);
        Assert.DoesNotContain("secret-token", key, StringComparison.Ordinal);
        var found = await sessions.RetrieveAsync(key);
        Assert.Equal("secret-token", found!.Properties.GetTokenValue("access_token"));
        Assert.Equal(key, found.Principal.FindFirstValue(ServerSideSessions.SessionClaim));

        await sessions.RemoveAsync(key);
        Assert.Null(await sessions.RetrieveAsync(key));
        Assert.NotNull(await sessions.RetrieveAsync(other));
    }

    [Fact]
    public async Task A_session_past_its_expiry_is_not_found()
    {
        using var sessions = new ServerSideSessions();

        var key = await sessions.StoreAsync(Ticket(DateTimeOffset.UtcNow.AddMilliseconds(50)));
        await Task.Delay(200);

        Assert.Null(await sessions.RetrieveAsync(key));
    }

    [Fact]
    public async Task The_browser_is_sent_to_the_public_address_and_the_server_talks_to_the_provider_inside()
    {
        var inner = new StaticConfigurationManager<OpenIdConnectConfiguration>(new OpenIdConnectConfiguration
        {
            Issuer = "https://procexon.example/",
            AuthorizationEndpoint = "http://localhost:5109/connect/authorize",
            EndSessionEndpoint = "http://localhost:5109/connect/endsession",
            TokenEndpoint = "http://localhost:5109/connect/token",
            JwksUri = "http://localhost:5109/.well-known/jwks",
        });
        var configuration = await new BrowserFacingConfiguration(inner, new Uri("http://localhost:5109/"), new Uri("https://procexon.example/"))
            .GetConfigurationAsync(CancellationToken.None);

        Assert.Equal("https://procexon.example/connect/authorize", configuration.AuthorizationEndpoint);
        Assert.Equal("https://procexon.example/connect/endsession", configuration.EndSessionEndpoint);
        Assert.Equal("http://localhost:5109/connect/token", configuration.TokenEndpoint);
        Assert.Equal("http://localhost:5109/.well-known/jwks", configuration.JwksUri);
    }

    private static AuthenticationTicket Ticket(DateTimeOffset expires) => new(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "user-1")], "test")),
        new AuthenticationProperties { ExpiresUtc = expires },
        "Cookies");
}
