using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Procexon.Console.Apis;

/// <summary>
/// The rights-requests part of the platform's public API, called through the gateway with the signed-in user's access
/// token (<see cref="AccessTokenHandler"/>): the gateway and the service check the user's role on every call.
/// </summary>
public sealed class RequestsApi(HttpClient http)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task<RequestInbox> InboxAsync(InboxFilter filter, CancellationToken cancellationToken)
    {
        var query = new List<string> { $"page={filter.Page.ToString(CultureInfo.InvariantCulture)}", $"pageSize={InboxFilter.PageSize.ToString(CultureInfo.InvariantCulture)}" };
        Add(query, "status", filter.Status);
        Add(query, "type", filter.Type);
        Add(query, "deadline", filter.Deadline);
        Add(query, "dueFrom", filter.DueFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add(query, "dueTo", filter.DueTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return await GetAsync<RequestInbox>($"/api/requests/inbox?{string.Join('&', query)}", cancellationToken)
            ?? throw new InvalidOperationException("The inbox answered nothing.");
    }

    /// <summary>The request, or null when there is none with this id.</summary>
    public Task<RequestStatus?> RequestAsync(Guid id, CancellationToken cancellationToken) =>
        GetAsync<RequestStatus>($"/api/requests/{id}", cancellationToken);

    /// <summary>The audit trail, or null when the user's role may not read it (the API says 403).</summary>
    public async Task<RequestAudit?> AuditAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"/api/requests/{id}/audit", UriKind.Relative), cancellationToken);
        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<RequestAudit>(s_json, cancellationToken);
    }

    /// <summary>
    /// Records a request staff received in writing or by phone (<c>POST /api/requests</c>): the new request's id, or the
    /// problem the API answered.
    /// </summary>
    public async Task<Received> ReceiveAsync(WrittenRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/requests", request, s_json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new Received(null, await ApiProblem.ReadAsync(response, cancellationToken));
        }

        var created = await response.Content.ReadFromJsonAsync<RequestStatus>(s_json, cancellationToken)
            ?? throw new InvalidOperationException("The API answered an empty body to a created request.");
        return new Received(created.Id, null);
    }

    public Task<ApiResult> VerifyAsync(Guid id, string? method, CancellationToken cancellationToken) =>
        PostAsync($"/api/requests/{id}/verification", new { method }, cancellationToken);

    public Task<ApiResult> ExtendAsync(Guid id, int? months, string? reason, CancellationToken cancellationToken) =>
        PostAsync($"/api/requests/{id}/extension", new { months, reason }, cancellationToken);

    public Task<ApiResult> RefuseAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        PostAsync($"/api/requests/{id}/refusal", new { reason }, cancellationToken);

    /// <summary>E-mails the requester a one-time code (<c>POST …/verification-code</c>), to the address their request gave.</summary>
    public Task<ApiResult> SendCodeAsync(Guid id, CancellationToken cancellationToken) =>
        PostAsync($"/api/requests/{id}/verification-code", new { }, cancellationToken);

    /// <summary>The decision on an objection to processing under legitimate interest (Art 21(1)) and its reason, told to the subject.</summary>
    public Task<ApiResult> DecideObjectionAsync(Guid id, bool? upheld, string? reason, CancellationToken cancellationToken) =>
        PostAsync($"/api/requests/{id}/objection-decision", new { upheld, reason }, cancellationToken);

    /// <summary>A rectification's corrections (<c>PUT …/particulars</c>), replacing any given before the right left.</summary>
    public async Task<ApiResult> GiveCorrectionsAsync(Guid id, IReadOnlyList<CorrectionInput> corrections, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync($"/api/requests/{id}/particulars", new { corrections }, s_json, cancellationToken);
        return response.IsSuccessStatusCode ? ApiResult.Done : new ApiResult(await ApiProblem.ReadAsync(response, cancellationToken));
    }

    /// <summary>Lifts a restriction with the reason the subject is told first (Art 18(3)).</summary>
    public Task<ApiResult> LiftRestrictionAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        PostAsync($"/api/requests/{id}/restriction-lifting", new { reason }, cancellationToken);

    /// <summary>The lifting of the request's restriction, or null while it has not been lifted (the API says 404).</summary>
    public Task<RestrictionLifting?> LiftingAsync(Guid id, CancellationToken cancellationToken) =>
        GetAsync<RestrictionLifting>($"/api/requests/{id}/restriction-lifting", cancellationToken);

    /// <summary>The answer letter in <paramref name="language"/> (<c>fi</c> or <c>en</c>), or the problem the API gave (409 not yet, 410 copies gone).</summary>
    public async Task<(AnswerLetter? Letter, ApiProblem? Problem)> AnswerAsync(Guid id, string language, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"/api/requests/{id}/answer?lang={Uri.EscapeDataString(language)}", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (null, await ApiProblem.ReadAsync(response, cancellationToken));
        }

        return (await response.Content.ReadFromJsonAsync<AnswerLetter>(s_json, cancellationToken), null);
    }

    /// <summary>
    /// The subject's data of an access or portability request, unread: the console's download endpoint passes it on to
    /// the browser as it comes. The caller disposes of the response.
    /// </summary>
    public Task<HttpResponseMessage> ExportAsync(Guid id, string format, CancellationToken cancellationToken) =>
        http.GetAsync(new Uri($"/api/requests/{id}/export?format={Uri.EscapeDataString(format)}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    private async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(s_json, cancellationToken);
    }

    private async Task<ApiResult> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, s_json, cancellationToken);
        return response.IsSuccessStatusCode ? ApiResult.Done : new ApiResult(await ApiProblem.ReadAsync(response, cancellationToken));
    }

    private static void Add(List<string> query, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }
}
