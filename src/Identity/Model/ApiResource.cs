namespace Procexon.Identity.Model;

/// <summary>The platform's API as one OAuth resource: every access token names it as its audience.</summary>
public static class ApiResource
{
    public const string Audience = "procexon-api";

    public const string Scope = "api";

    /// <summary>The processor's recipient (DESIGN §10): a processor token reads only that recipient's notices.</summary>
    public const string RecipientClaim = "recipient";
}
