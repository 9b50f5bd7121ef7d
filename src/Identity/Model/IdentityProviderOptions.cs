namespace Procexon.Identity.Model;

/// <summary>The <c>Identity</c> configuration section: the issuer, token and key lifetimes, and what is seeded.</summary>
public sealed class IdentityProviderOptions
{
    public const string Section = "Identity";

    /// <summary>The public URL tokens name as <c>iss</c> (the gateway's, in a deployment).</summary>
    public Uri? Issuer { get; set; }

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long one key signs before the next one takes over.</summary>
    public TimeSpan SigningKeyLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long a key stays published after it stopped signing: longer than any token it signed lives.</summary>
    public TimeSpan SigningKeyGracePeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often a running instance looks whether a key is due for rotation.</summary>
    public TimeSpan SigningKeyCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The secret the signing keys' private parts and the token encryption key are derived from.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>Secrets a rotation retired: what they encrypted is still read, nothing new is written with them.</summary>
    public List<string> PreviousKeyEncryptionKeys { get; set; } = [];

    public List<string> TwoFactorRequiredForRoles { get; set; } = [];

    public Dictionary<string, ClientSettings> Clients { get; set; } = [];

    public Dictionary<string, UserSettings> Users { get; set; } = [];

    /// <summary>The longest a token signed by a key can outlive the key's last signature.</summary>
    public TimeSpan LongestTokenLifetime => new[] { AccessTokenLifetime, RefreshTokenLifetime, TimeSpan.FromHours(1) }.Max();
}

public sealed class ClientSettings
{
    /// <summary>Absent for a public client (a browser application using PKCE).</summary>
    public string? Secret { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>Roles a client-credentials token of this client carries.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>For a processor: the recipient whose notices it may read; implies the <c>processor</c> role.</summary>
    public string? Recipient { get; set; }

    public List<Uri> RedirectUris { get; set; } = [];

    public List<Uri> PostLogoutRedirectUris { get; set; } = [];
}

public sealed class UserSettings
{
    public string? Password { get; set; }

    public string? DisplayName { get; set; }

    public string? Email { get; set; }

    public List<string> Roles { get; set; } = [];
}
