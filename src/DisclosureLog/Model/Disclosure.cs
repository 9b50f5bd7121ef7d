namespace Procexon.DisclosureLog.Model;

/// <summary>
/// One disclosure of a subject's personal data to a recipient (luovutus): what went, to whom, on which legal basis and
/// when. It also keeps the subject's keys the recipient got, normalised, so that an erasure notice can name the
/// subject in the recipient's own terms. Never a personal identity code: a recipient is not given one through the log.
/// </summary>
public sealed class Disclosure
{
    public required Guid Id { get; init; }

    /// <summary>The recipient's slug (accounting-firm, finago, …).</summary>
    public required string Recipient { get; init; }

    /// <summary>The subject's id in the Registry.</summary>
    public required Guid SubjectId { get; init; }

    /// <summary>The data categories disclosed, each one of <see cref="DataCategories.All"/>.</summary>
    public required List<string> Categories { get; init; }

    /// <summary>One of <see cref="LegalBases.All"/>.</summary>
    public required string LegalBasis { get; init; }

    public required DateTimeOffset DisclosedAt { get; init; }

    public string? Email { get; init; }

    public string? Phone { get; init; }

    public string? CustomerNumber { get; init; }

    public string? BusinessId { get; init; }
}
