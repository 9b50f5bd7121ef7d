using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Procexon.Console.Apis;

/// <summary>
/// The disclosure log's notices to recipients (Art 19) of one request, and their confirmation by hand for a recipient
/// staff reach themselves; called through the gateway with the signed-in user's token, like <see cref="RequestsApi"/>.
/// </summary>
public sealed class RecipientNoticesApi(HttpClient http)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The request's notices: an erasure's or a rectification's, the only types that tell recipients. Empty when the
    /// user's role may not read them.
    /// </summary>
    public async Task<IReadOnlyList<RecipientNotice>> NoticesAsync(Guid requestId, string requestType, CancellationToken cancellationToken)
    {
        if (PathOf(requestType) is not { } path)
        {
            return [];
        }

        using var response = await http.GetAsync(new Uri($"{path}?request={requestId}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<RecipientNotice>>(s_json, cancellationToken) ?? [];
    }

    /// <summary>How each recipient is reached; empty when the user's role may not read the recipients.</summary>
    public async Task<IReadOnlyList<RecipientChannel>> ChannelsAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("/api/recipients", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<RecipientChannel>>(s_json, cancellationToken) ?? [];
    }

    /// <summary>Records that the recipient confirmed the notice; the API records the signed-in user as who confirmed.</summary>
    public async Task<ApiResult> ConfirmAsync(string requestType, Guid noticeId, string? detail, CancellationToken cancellationToken)
    {
        var path = PathOf(requestType) ?? throw new ArgumentException($"A {requestType} request tells no recipient.", nameof(requestType));
        using var response = await http.PostAsJsonAsync($"{path}/{noticeId}/confirmation", new { detail }, s_json, cancellationToken);
        return response.IsSuccessStatusCode ? ApiResult.Done : new ApiResult(await ApiProblem.ReadAsync(response, cancellationToken));
    }

    /// <summary>Erasure notices live under the disclosures, rectification notices beside them.</summary>
    private static string? PathOf(string requestType) => requestType switch
    {
        "erasure" => "/api/disclosures/notifications",
        "rectification" => "/api/rectification-notifications",
        _ => null,
    };

    /// <summary>Recipients reached by nobody but staff: their notices are confirmed by hand.</summary>
    public const string StaffChannel = "staff";
}
