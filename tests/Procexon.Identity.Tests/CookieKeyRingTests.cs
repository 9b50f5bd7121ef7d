using Npgsql;
using Procexon.Testing;

namespace Procexon.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class CookieKeyRingTests(IdentityFixture fixture)
{
    private IdentityProvider Provider => fixture.Provider;

    [Fact]
    public async Task Signed_in_user_stays_signed_in_across_a_restart_and_the_stored_key_ring_is_sealed()
    {
        using var browser = new Browser(Provider);
        Assert.True((await browser.SignInAsync(await browser.GetAsync(browser.AuthorizeUri()), "auditor", Provider.PasswordOf("auditor"))).AtClient);

        await Provider.RestartAsync();

        // The sign-in cookie from before the restart still opens the authorization endpoint: no login page.
        var after = await browser.GetAsync(browser.AuthorizeUri());
        Assert.True(after.AtClient, after.Location + after.Html);

        await using var connection = new NpgsqlConnection(fixture.Postgres.ConnectionString("identitydb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys", connection);
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(rows);
        Assert.All(rows, xml =>
        {
            Assert.Contains("<sealedKey", xml, StringComparison.Ordinal);
            // The secret itself (Data Protection writes it as <masterKey>) is not readable from the database.
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
        });
    }
}
