namespace Procexon.Console.Authentication;

/// <summary>
/// The <c>Console</c> configuration section: who the console is to the identity provider and where the browser reaches
/// it. The authority (the token issuer) and the provider's internal address come from <c>Authentication</c>, as for
/// every service.
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>The public address browsers use (the gateway's): redirect URIs and the API are under it.</summary>
    public Uri? PublicAddress { get; set; }

    public string ClientId { get; set; } = "console";

    /// <summary>The console is a confidential client: its secret never leaves the server.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>How long before its expiry an access token is renewed with the refresh token.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a signed-in session lasts without a request; each request renews it, up to the refresh token's life.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often a request's page asks the API for its progress while the request runs.</summary>
    public TimeSpan ProgressPollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
