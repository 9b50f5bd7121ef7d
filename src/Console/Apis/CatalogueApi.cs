using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Procexon.Console.Apis;

/// <summary>
/// The register catalogue (the record of processing) of the platform's public API, called through the gateway with the
/// signed-in user's access token (<see cref="AccessTokenHandler"/>): the gateway and the Registry check the role on
/// every call, so an edit by a role that may not make it is refused there whatever the page shows.
/// </summary>
public sealed class CatalogueApi(HttpClient http)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<RegisterDescription>> RegistersAsync(CancellationToken cancellationToken) =>
        await GetAsync<List<RegisterDescription>>("/api/registers", cancellationToken)
            ?? throw new InvalidOperationException("The catalogue answered nothing.");

    /// <summary>The register as it is now, or null when there is none by that slug.</summary>
    public Task<RegisterDescription?> RegisterAsync(string register, CancellationToken cancellationToken) =>
        GetAsync<RegisterDescription>($"/api/registers/{Uri.EscapeDataString(register)}", cancellationToken);

    /// <summary>The register's history, newest first, or null when there is no such register.</summary>
    public Task<List<RegisterVersion>?> VersionsAsync(string register, CancellationToken cancellationToken) =>
        GetAsync<List<RegisterVersion>>($"/api/registers/{Uri.EscapeDataString(register)}/versions", cancellationToken);

    /// <summary>The description one version gave, by its number; null when the register or the version is unknown.</summary>
    public Task<RegisterDescription?> VersionAsync(string register, int version, CancellationToken cancellationToken) =>
        GetAsync<RegisterDescription>(
            $"/api/registers/{Uri.EscapeDataString(register)}/versions/{version.ToString(CultureInfo.InvariantCulture)}", cancellationToken);

    /// <summary>
    /// Replaces the register's description (<c>PUT /api/registers/{register}</c>): the register as it is now, or the API's
    /// problem. The API checks the whole description before it writes any of it.
    /// </summary>
    public async Task<RegisterEdited> EditAsync(string register, RegisterEditBody edit, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync($"/api/registers/{Uri.EscapeDataString(register)}", edit, s_json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new RegisterEdited(null, await ApiProblem.ReadAsync(response, cancellationToken));
        }

        return new RegisterEdited(await response.Content.ReadFromJsonAsync<RegisterDescription>(s_json, cancellationToken), null);
    }

    /// <summary>The privacy notice the Registry generates from the live catalogue (public), as HTML, read for the preview.</summary>
    public async Task<NoticeDocument> NoticeAsync(string language, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(
            new Uri($"/api/registers/notice?lang={Uri.EscapeDataString(language)}&format=html", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        return NoticeDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>The record of processing (Art 30) as a file, for the console to pass on (<see cref="ConsoleDownloads"/>).</summary>
    public Task<HttpResponseMessage> RecordOfProcessingAsync(string format, string language, CancellationToken cancellationToken) =>
        http.GetAsync(new Uri($"/api/registers/record-of-processing?format={Uri.EscapeDataString(format)}&lang={Uri.EscapeDataString(language)}", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead, cancellationToken);

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
}
