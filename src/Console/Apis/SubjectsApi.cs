using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Procexon.Console.Apis;

/// <summary>
/// The Registry's subjects through the gateway, with the signed-in user's access token: lookup by any identifier (a
/// POST, so identifiers never reach a URL, a log line or the browser's history), a subject, its records, its merges, and
/// merging a duplicate into it. The client follows no redirect: a subject merged away answers 301, which the page shows.
/// </summary>
public sealed class SubjectsApi(HttpClient http)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task<SubjectsFound> SearchAsync(SubjectLookupInput lookup, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/subjects/search", lookup, s_json, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.TooManyRequests)
        {
            return new SubjectsFound(null, await ApiProblem.ReadAsync(response, cancellationToken));
        }

        response.EnsureSuccessStatusCode();
        return new SubjectsFound(await response.Content.ReadFromJsonAsync<List<SubjectView>>(s_json, cancellationToken) ?? [], null);
    }

    public async Task<SubjectAnswer> SubjectAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"/api/subjects/{id}", UriKind.Relative), cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                return new SubjectAnswer(null, null);
            case HttpStatusCode.MovedPermanently:
                var moved = await response.Content.ReadFromJsonAsync<SubjectMoved>(s_json, cancellationToken);
                return new SubjectAnswer(null, moved?.MergedInto);
            default:
                response.EnsureSuccessStatusCode();
                return new SubjectAnswer(await response.Content.ReadFromJsonAsync<SubjectView>(s_json, cancellationToken), null);
        }
    }

    /// <summary>Everything held on the subject, per register; null when there is no such subject.</summary>
    public Task<SubjectRecords?> RecordsAsync(Guid id, CancellationToken cancellationToken) =>
        GetAsync<SubjectRecords>($"/api/subjects/{id}/records", cancellationToken);

    /// <summary>The subjects merged into this one, oldest first; null when there is no such subject.</summary>
    public Task<List<SubjectMergeView>?> MergesAsync(Guid id, CancellationToken cancellationToken) =>
        GetAsync<List<SubjectMergeView>>($"/api/subjects/{id}/merges", cancellationToken);

    /// <summary>The catalogue's registers, for their names and their data categories' names.</summary>
    public async Task<IReadOnlyList<HeldInRegister>> RegistersAsync(CancellationToken cancellationToken) =>
        await GetAsync<List<HeldInRegister>>("/api/registers", cancellationToken) ?? [];

    /// <summary>Merges <paramref name="duplicateId"/> into <paramref name="survivorId"/> (<c>POST /api/subjects/{id}/merge</c>).</summary>
    public async Task<MergeAnswer> MergeAsync(Guid survivorId, Guid duplicateId, string? reason, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"/api/subjects/{survivorId}/merge", new { duplicateId, reason }, s_json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new MergeAnswer(null, await ApiProblem.ReadAsync(response, cancellationToken));
        }

        return new MergeAnswer(await response.Content.ReadFromJsonAsync<SubjectMergeView>(s_json, cancellationToken), null);
    }

    /// <summary>The corrections of the subject's identifiers, oldest first; null when there is no such subject.</summary>
    public Task<List<IdentifierCorrectionView>?> IdentifierCorrectionsAsync(Guid id, CancellationToken cancellationToken) =>
        GetAsync<List<IdentifierCorrectionView>>($"/api/subjects/{id}/identifier-corrections", cancellationToken);

    /// <summary>
    /// Corrects the subject's identifiers (<c>POST /api/subjects/{id}/identifier-corrections</c>): sets those given,
    /// removes those named. The answer is the fields that changed (none when nothing did), or the API's problem.
    /// </summary>
    public async Task<ApiAnswer<IReadOnlyList<string>>> CorrectIdentifiersAsync(
        Guid id, IReadOnlyDictionary<string, string> set, IReadOnlyList<string> remove, string? reason, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"/api/subjects/{id}/identifier-corrections", new { set, remove, reason }, s_json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new ApiAnswer<IReadOnlyList<string>>(null, await ApiProblem.ReadAsync(response, cancellationToken));
        }

        var corrected = await response.Content.ReadFromJsonAsync<IdentifiersCorrected>(s_json, cancellationToken);
        return new ApiAnswer<IReadOnlyList<string>>(corrected?.Correction?.Fields ?? [], null);
    }

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

    private sealed record SubjectMoved(Guid Id, Guid MergedInto);

    private sealed record IdentifiersCorrected(IdentifierCorrectionView? Correction);
}
