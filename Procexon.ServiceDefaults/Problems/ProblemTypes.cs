namespace Procexon.ServiceDefaults.Problems;

/// <summary>
/// The <c>type</c> of a problem (RFC 9457) a client acts on by name: a refusal's title and detail are English prose for
/// whoever reads them, while a page shows its own words for the type (the staff console, in Finnish too).
/// </summary>
public static class ProblemTypes
{
    // A tag URI (RFC 4151): a stable identifier, not a page to fetch.
    private const string Prefix = "tag:procexon.com,2026:problem:";

    public static string Uri(string name) => Prefix + name;

    /// <summary>The name in a <c>type</c> of the platform's, or null for any other (the defaults name the HTTP status).</summary>
    public static string? NameOf(string? type) =>
        type is not null && type.StartsWith(Prefix, StringComparison.Ordinal) ? type[Prefix.Length..] : null;
}
