namespace Procexon.DisclosureLog.Model;

/// <summary>
/// <c>DisclosureLog:PublicAddress</c>: the gateway as a recipient reaches it (the tokens' issuer), e.g.
/// <c>https://tietosuoja.example.fi</c>. Webhook events point at their schema there (CloudEvents <c>dataschema</c>) and
/// mailed notices at their confirmation link; a missing or relative address stops the start, naming the setting.
/// </summary>
public sealed class PublicAddress
{
    public const string Setting = "DisclosureLog:PublicAddress";

    public PublicAddress(string? address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"{Setting} must be the gateway's absolute http(s) address, for the events' schemas and the mailed confirmation links.");
        }

        Origin = uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath.TrimEnd('/');
    }

    /// <summary>The address without a trailing slash, to which paths are appended.</summary>
    public string Origin { get; }

    /// <summary>Where the JSON Schema of a webhook event type is published (<c>GET /api/webhooks/schemas/{type}</c>).</summary>
    public Uri SchemaOf(string type) => new($"{Origin}/api/webhooks/schemas/{Uri.EscapeDataString(type)}");

    public static PublicAddress FromConfiguration(IConfiguration configuration) => new(configuration[Setting]);
}
