using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Procexon.Console.Authentication;

/// <summary>
/// The identity provider's discovery document as the console uses it. The console's server reads it, and calls the
/// token endpoint and the keys, at the provider's address inside the platform: no round trip through the gateway and
/// no count against its limit for anonymous callers. The provider names its endpoints after the address it was asked
/// at, so the two endpoints a browser is sent to (authorize, end session) are put back under the public address, where
/// the gateway routes them and where the console's pages allow their forms to lead.
/// </summary>
public sealed class BrowserFacingConfiguration(
    IConfigurationManager<OpenIdConnectConfiguration> inner, Uri internalBase, Uri publicBase) : IConfigurationManager<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var configuration = await inner.GetConfigurationAsync(cancel);
        configuration.AuthorizationEndpoint = Public(configuration.AuthorizationEndpoint);
        configuration.EndSessionEndpoint = Public(configuration.EndSessionEndpoint);
        return configuration;
    }

    public void RequestRefresh() => inner.RequestRefresh();

    private string Public(string? address)
    {
        var prefix = internalBase.AbsoluteUri.TrimEnd('/');
        return address is not null && address.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase)
            ? new Uri(publicBase, address[(prefix.Length + 1)..]).AbsoluteUri
            : address ?? "";
    }
}
