namespace Procexon.Registry.Model;

/// <summary>
/// One lookup of subjects by their identifiers: who looked, when, by which kinds of identifier and how many subjects it
/// found — never the values looked for. A lookup by identity code is a disclosure of whether someone is in the
/// registers, so each one is accountable (Art 5(2)) and can be read back by the privacy officer and the auditor.
/// </summary>
public sealed class SubjectSearch
{
    /// <summary>The column's length, the same as the longest actor a token gives (<see cref="AuthenticationExtensions.Actor"/>).</summary>
    public const int MaxSearchedByLength = 200;

    public required Guid Id { get; init; }

    public required DateTimeOffset SearchedAt { get; init; }

    public required string SearchedBy { get; init; }

    /// <summary>The kinds given (<c>email</c>, <c>phone</c>, <c>hetu</c>, <c>businessId</c>, <c>customerNumber</c>).</summary>
    public required List<string> IdentifierKinds { get; init; }

    public required int Found { get; init; }
}
