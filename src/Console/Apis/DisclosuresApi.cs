using System.Net.Http.Json;

namespace Procexon.Console.Apis;

/// <summary>
/// The disclosure log's part of the public API, through the gateway with the user's token: the recipients, the log a
/// page at a time, and the erasure, rectification and restriction notices to recipients (Art 19; a restriction's
/// include the notices of its lifting): those awaiting confirmation, a
/// request's own, and their confirmation by hand for a recipient staff reach themselves.
/// </summary>
public sealed class DisclosuresApi(HttpClient http)
{
    /// <summary>Recipients reached by nobody but staff: their notices are confirmed by hand.</summary>
    public const string StaffChannel = "staff";
    public Task<List<Recipient>> RecipientsAsync(CancellationToken cancellationToken) =>
        http.GetAsync<List<Recipient>>("/api/recipients", cancellationToken);

    /// <summary>The log across subjects, newest first, 25 a page; optionally of one recipient.</summary>
    public const int LogPageSize = 25;

    public Task<ListPage<Disclosure>> LogAsync(int page, string? recipient, CancellationToken cancellationToken) =>
        http.GetAsync<ListPage<Disclosure>>(
            $"/api/disclosures/log?{ApiCalls.Query(("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pageSize", LogPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("recipient", recipient))}",
            cancellationToken);

    /// <summary>Every kind of notice, overdue ones or the others, oldest sent first.</summary>
    public async Task<List<RecipientNotice>> NoticesAsync(bool overdue, CancellationToken cancellationToken)
    {
        var query = overdue ? "overdue=true" : "overdue=false";
        var erasures = await http.GetAsync<List<RecipientNotice>>($"/api/disclosures/notifications?{query}", cancellationToken);
        var rectifications = await http.GetAsync<List<RecipientNotice>>($"/api/rectification-notifications?{query}", cancellationToken);
        // Restriction notices name their kind themselves: a restriction or its lifting.
        var restrictions = await http.GetAsync<List<RecipientNotice>>($"/api/restriction-notifications?{query}", cancellationToken);
        return
        [
            .. erasures.Select(n => n with { Kind = NoticeKinds.Erasure }).Concat(rectifications.Select(n => n with { Kind = NoticeKinds.Rectification }))
                .Concat(restrictions)
                .OrderBy(n => n.SentAt).ThenBy(n => n.Recipient, StringComparer.Ordinal),
        ];
    }

    /// <summary>How each recipient is reached; empty when the user's role may not read the recipients.</summary>
    public async Task<IReadOnlyList<Recipient>> RecipientsIfAllowedAsync(CancellationToken cancellationToken) =>
        await http.GetListIfAllowedAsync<Recipient>("/api/recipients", cancellationToken);

    /// <summary>
    /// A request's notices: an erasure's, a rectification's or a restriction's (and its lifting's), the only types that
    /// tell recipients. Empty when the user's role may not read them.
    /// </summary>
    public async Task<IReadOnlyList<RecipientNotice>> NoticesOfRequestAsync(Guid requestId, string requestType, CancellationToken cancellationToken)
    {
        if (PathOf(requestType) is not { } path)
        {
            return [];
        }

        return await http.GetListIfAllowedAsync<RecipientNotice>($"{path}?request={requestId}", cancellationToken);
    }

    /// <summary>Records that the recipient confirmed the notice; the API records the signed-in user as who confirmed.</summary>
    public async Task<ApiResult> ConfirmAsync(string requestType, Guid noticeId, string? detail, CancellationToken cancellationToken)
    {
        var path = PathOf(requestType) ?? throw new ArgumentException($"A {requestType} request tells no recipient.", nameof(requestType));
        using var response = await http.PostAsJsonAsync($"{path}/{noticeId}/confirmation", new { detail }, ApiCalls.Json, cancellationToken);
        return response.IsSuccessStatusCode ? ApiResult.Done : new ApiResult(await ApiProblem.ReadAsync(response, cancellationToken));
    }

    /// <summary>Erasure notices live under the disclosures, rectification and restriction notices beside them.</summary>
    private static string? PathOf(string requestType) => requestType switch
    {
        NoticeKinds.Erasure => "/api/disclosures/notifications",
        NoticeKinds.Rectification => "/api/rectification-notifications",
        NoticeKinds.Restriction or NoticeKinds.RestrictionLifted => "/api/restriction-notifications",
        _ => null,
    };
}

public sealed record Recipient(string Slug, LocalizedText Name, string Role, string Channel);

public sealed record DisclosedSubject(string? Email, string? Phone, string? CustomerNumber, string? BusinessId);

public sealed record Disclosure(Guid Id, string RecipientId, Guid SubjectId, IReadOnlyList<string> Categories, string LegalBasis, DateTimeOffset DisclosedAt, DisclosedSubject Subject);


/// <summary>
/// A notice to a recipient; categories for an erasure and a restriction (or its lifting), the corrected fields' names for
/// a rectification.
/// </summary>
public sealed record RecipientNotice(
    Guid Id, Guid RequestId, string Recipient, string Status, DateTimeOffset SentAt, DateTimeOffset ConfirmBy, DateTimeOffset? ConfirmedAt,
    IReadOnlyList<string>? Categories, IReadOnlyList<string>? Fields)
{
    public string Kind { get; init; } = NoticeKinds.Erasure;

    /// <summary>The status of a restriction notice left unconfirmed when the restriction was lifted: nothing to chase.</summary>
    public const string Superseded = "superseded";
}

public static class NoticeKinds
{
    public const string Erasure = "erasure";
    public const string Rectification = "rectification";
    public const string Restriction = "restriction";
    public const string RestrictionLifted = "restriction-lifted";
}
