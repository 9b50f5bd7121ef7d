using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Procexon.Identity.Infrastructure;

/// <summary>
/// What OpenIddict reads from our configuration and database each time it builds its options: the issuer, the
/// lifetimes and the keys. Read lazily, so tests' configuration and a rotated key ring both apply.
/// </summary>
public sealed class OpenIddictServerSetup(
    IOptions<IdentityProviderOptions> options, SigningKeyRing ring, KeyEncryption encryption) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions server)
    {
        var settings = options.Value;
        server.Issuer = settings.Issuer ?? throw new InvalidOperationException("Identity:Issuer is missing.");
        server.AccessTokenLifetime = settings.AccessTokenLifetime;
        server.RefreshTokenLifetime = settings.RefreshTokenLifetime;

        if (ring.Keys.Count == 0)
        {
            throw new InvalidOperationException("No signing key is loaded: the database migration and key rotation have not run.");
        }

        // OpenIddict signs with the first key and publishes all of them in the JWKS; its sort leaves equal RSA keys in this order.
        foreach (var key in ring.Keys)
        {
            server.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
        }

        server.EncryptionCredentials.Add(new EncryptingCredentials(
            encryption.TokenEncryptionKey, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
    }
}
