using Procexon.ServiceDefaults.Security;
using Procexon.Testing;

namespace Procexon.Identity.Tests;

/// <summary>
/// The provider on real PostgreSQL, started once for the collection, with the privacy officer's role requiring an
/// authenticator (so the code step is tested on that user, and the password-only flows on the others).
/// </summary>
public sealed class IdentityFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public IdentityProvider Provider { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        Provider = await IdentityProvider.StartAsync(Postgres, new Dictionary<string, string?>
        {
            ["Identity:TwoFactorRequiredForRoles:0"] = PlatformRoles.PrivacyOfficer,
        });
    }

    public async Task DisposeAsync()
    {
        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class IdentityCollection : ICollectionFixture<IdentityFixture>
{
    public const string Name = "Identity provider on real PostgreSQL";
}
