namespace Procexon.Console.Apis;

/// <summary>
/// The disclosure log's part of the public API, through the gateway with the user's token: the recipients, the log a
/// page at a time, and the erasure and rectification notices to recipients (Art 19) awaiting their confirmation.
/// </summary>
public sealed class DisclosuresApi(HttpClient http)
{
    public Task<List<Recipient>> RecipientsAsync(CancellationToken cancellationToken) =>
        http.GetAsync<List<Recipient>>("/api/recipients", cancellationToken);

    public Task<DisclosureLogPage> LogAsync(int page, string? recipient, CancellationToken cancellationToken) =>
        http.GetAsync<DisclosureLogPage>(
            $"/api/disclosures/log?{ApiCalls.Query(("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pageSize", DisclosureLogPage.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("recipient", recipient))}",
            cancellationToken);

    /// <summary>Both kinds of notice, overdue ones or the others, oldest sent first.</summary>
    public async Task<List<RecipientNotice>> NoticesAsync(bool overdue, CancellationToken cancellationToken)
    {
        var query = overdue ? "overdue=true" : "overdue=false";
        var erasures = await http.GetAsync<List<RecipientNotice>>($"/api/disclosures/notifications?{query}", cancellationToken);
        var rectifications = await http.GetAsync<List<RecipientNotice>>($"/api/rectification-notifications?{query}", cancellationToken);
        return
        [
            .. erasures.Select(n => n with { Kind = NoticeKinds.Erasure }).Concat(rectifications.Select(n => n with { Kind = NoticeKinds.Rectification }))
                .OrderBy(n => n.SentAt).ThenBy(n => n.Recipient, StringComparer.Ordinal),
        ];
    }
}

public sealed record Recipient(string Slug, LocalizedText Name, string Role, string Channel);

public sealed record DisclosedSubject(string? Email, string? Phone, string? CustomerNumber, string? BusinessId);

public sealed record Disclosure(Guid Id, string RecipientId, Guid SubjectId, IReadOnlyList<string> Categories, string LegalBasis, DateTimeOffset DisclosedAt, DisclosedSubject Subject);

public sealed record DisclosureLogPage(IReadOnlyList<Disclosure> Items, int Page, int PageSize, int Total)
{
    public const int Size = 25;

    public int Pages => (Total + PageSize - 1) / PageSize;
}

/// <summary>An erasure or rectification notice to a recipient; categories for an erasure, the corrected fields' names for a rectification.</summary>
public sealed record RecipientNotice(
    Guid Id, Guid RequestId, string Recipient, string Status, DateTimeOffset SentAt, DateTimeOffset ConfirmBy, DateTimeOffset? ConfirmedAt,
    IReadOnlyList<string>? Categories, IReadOnlyList<string>? Fields)
{
    public string Kind { get; init; } = NoticeKinds.Erasure;
}

public static class NoticeKinds
{
    public const string Erasure = "erasure";
    public const string Rectification = "rectification";
}
