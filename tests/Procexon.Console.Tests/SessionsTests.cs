using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Procexon.Console.Authentication;
using Procexon.Console.Infrastructure;

namespace Procexon.Console.Tests;

/// <summary>
/// The server-side sessions behind the console's cookie, in the console's database on real PostgreSQL, as two replicas
/// (or a restarted console) share them; and the discovery document the console hands the browser.
/// </summary>
[Collection(ConsoleDatabaseCollection.Name)]
public sealed class SessionsTests(ConsoleDatabaseFixture database)
{
    [Fact]
    public async Task A_stored_session_is_found_by_its_random_key_which_the_principal_carries_and_is_gone_once_removed()
    {
        await using var console = database.Replica();
        var sessions = console.Sessions;
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
    public async Task The_other_replica_and_a_restarted_console_find_the_session_and_its_renewal()
    {
        string key;
        await using (var first = database.Replica())
        {
            var ticket = Ticket(DateTimeOffset.UtcNow.AddHours(1));
            ticket.Properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = "before-renewal" }]);
            key = await first.Sessions.StoreAsync(ticket);

            await using var second = database.Replica();
            var seen = await second.Sessions.RetrieveAsync(key);
            Assert.Equal("before-renewal", seen!.Properties.GetTokenValue("access_token"));

            // A renewal on one replica (a refreshed access token) is what the other reads next.
            seen.Properties.UpdateTokenValue("access_token", "after-renewal");
            await second.Sessions.RenewAsync(key, seen);
            Assert.Equal("after-renewal", (await first.Sessions.RetrieveAsync(key))!.Properties.GetTokenValue("access_token"));
        }

        await using var restarted = database.Replica();
        Assert.Equal("after-renewal", (await restarted.Sessions.RetrieveAsync(key))!.Properties.GetTokenValue("access_token"));
    }

    [Fact]
    public async Task The_table_holds_neither_the_cookie_s_key_nor_a_readable_token_and_a_ticket_moved_to_another_session_does_not_open()
    {
        await using var console = database.Replica();
        var ticket = Ticket(DateTimeOffset.UtcNow.AddHours(1));
        ticket.Properties.StoreTokens([new AuthenticationToken { Name = "refresh_token", Value = "the-refresh-token-itself" }]);
        var key = await console.Sessions.StoreAsync(ticket);
        var victim = await console.Sessions.StoreAsync(Ticket(DateTimeOffset.UtcNow.AddHours(1)));

        var rows = await database.SessionRowsAsync();
        var row = rows[ServerSideSessions.IdOf(key)];
        Assert.DoesNotContain(rows.Keys, id => id == key || id == victim);
        Assert.DoesNotContain("the-refresh-token-itself", System.Text.Encoding.UTF8.GetString(row), StringComparison.Ordinal);
        Assert.DoesNotContain("user-1", System.Text.Encoding.UTF8.GetString(row), StringComparison.Ordinal);

        // Someone who may write the table copies a session's ticket onto the row another cookie names: it does not open there.
        await database.ExecuteAsync($"UPDATE sessions SET ticket = (SELECT ticket FROM sessions WHERE id = '{ServerSideSessions.IdOf(key)}') WHERE id = '{ServerSideSessions.IdOf(victim)}'");
        Assert.Null(await console.Sessions.RetrieveAsync(victim));
        Assert.NotNull(await console.Sessions.RetrieveAsync(key));
    }

    [Fact]
    public async Task A_session_past_its_expiry_is_not_found_and_the_purge_deletes_it_and_only_it()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var console = database.Replica(clock);
        var ending = await console.Sessions.StoreAsync(Ticket(clock.GetUtcNow().AddMinutes(5)));
        var lasting = await console.Sessions.StoreAsync(Ticket(clock.GetUtcNow().AddHours(8)));

        clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Null(await console.Sessions.RetrieveAsync(ending));
        Assert.NotNull(await console.Sessions.RetrieveAsync(lasting));
        Assert.True(await console.Sessions.PurgeExpiredAsync(CancellationToken.None) >= 1);
        var rows = await database.SessionRowsAsync();
        Assert.DoesNotContain(ServerSideSessions.IdOf(ending), rows.Keys);
        Assert.Contains(ServerSideSessions.IdOf(lasting), rows.Keys);
    }

    [Fact]
    public async Task A_rotated_session_key_still_opens_what_the_retired_one_sealed_and_a_console_without_it_signs_the_user_out()
    {
        string key;
        await using (var before = database.Replica())
        {
            key = await before.Sessions.StoreAsync(Ticket(DateTimeOffset.UtcNow.AddHours(1)));
        }

        var rotated = new Dictionary<string, string?>
        {
            [SessionEncryption.Setting] = ConsoleDatabaseFixture.NewKey(),
            [SessionEncryption.PreviousSetting] = database.SessionKey,
        };
        await using (var after = database.Replica(settings: rotated))
        {
            Assert.NotNull(await after.Sessions.RetrieveAsync(key));
        }

        await using var forgotten = database.Replica(settings: new Dictionary<string, string?> { [SessionEncryption.Setting] = ConsoleDatabaseFixture.NewKey() });
        Assert.Null(await forgotten.Sessions.RetrieveAsync(key));
    }

    [Fact]
    public async Task The_key_ring_in_the_database_is_sealed_and_a_second_replica_unprotects_what_the_first_protected()
    {
        await using var first = database.Replica();
        var protectedValue = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("state of a sign-in");

        await using var second = database.Replica();
        Assert.Equal("state of a sign-in", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedValue));

        var keys = await database.KeyRingAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<sealedKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
        });
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
