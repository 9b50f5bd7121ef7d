namespace Procexon.DisclosureLog.Model;

/// <summary>
/// One disclosure of a subject's personal data to a recipient (luovutus): what went, to whom, on which legal basis and
/// when. Of the identifiers the recipient got it keeps only masked forms ("m***@example.fi"), enough for staff to see
/// what went: the recipient was given the subject's id with them, and later notices name the subject by that id.
/// Never a personal identity code: a recipient is not given one through the log.
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

    public string? EmailMasked { get; init; }

    public string? PhoneMasked { get; init; }

    public string? CustomerNumberMasked { get; init; }

    public string? BusinessIdMasked { get; init; }

    /// <summary>All but the last two characters starred: what a customer number or business ID shows of itself in the log.</summary>
    public static string? MaskTail(string? value) =>
        value is null ? null : string.Concat(new string('*', Math.Max(0, value.Length - 2)), value.AsSpan(Math.Max(0, value.Length - 2)));
}
