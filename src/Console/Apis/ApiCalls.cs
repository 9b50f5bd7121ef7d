using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Procexon.Console.Apis;

/// <summary>
/// One page of a list the API reads a page at a time (the disclosure log, the holds across subjects);
/// <see cref="Total"/> counts the items of every page under the filter.
/// </summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    public int Pages => (Total + PageSize - 1) / PageSize;
}

/// <summary>What a read answered: the value, or the API's problem (a bad query is shown beside the field it names).</summary>
public sealed record ApiAnswer<T>(T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// The calls the retention, disclosure and audit clients share: a refusal (403) or an API that does not answer is an
/// exception for <see cref="Components.ApiGuard"/>, a bad query or body (400, 404, 409) a problem for the page.
/// </summary>
internal static class ApiCalls
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<T> GetAsync<T>(this HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new InvalidOperationException($"GET {path} answered an empty body.");
    }

    /// <summary>A list the user's role may not read (403) is empty rather than an error: the page shows what the role sees.</summary>
    public static async Task<List<T>> GetListIfAllowedAsync<T>(this HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<T>>(Json, cancellationToken) ?? [];
    }

    public static async Task<ApiAnswer<T>> GetOrProblemAsync<T>(this HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        return await AnswerAsync<T>(response, cancellationToken);
    }

    public static async Task<ApiAnswer<T>> PostOrProblemAsync<T>(this HttpClient http, string path, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(path, body, Json, cancellationToken);
        return await AnswerAsync<T>(response, cancellationToken);
    }

    private static async Task<ApiAnswer<T>> AnswerAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return new ApiAnswer<T>(default, await ApiProblem.ReadAsync(response, cancellationToken));
        }

        response.EnsureSuccessStatusCode();
        return new ApiAnswer<T>(await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken), null);
    }

    public static string Query(params (string Name, string? Value)[] parts) =>
        string.Join('&', parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
}
