using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Procexon.Console.Apis;

/// <summary>
/// Files the browser downloads from the console that the API makes: a request's export, the audit trail for the Data
/// Protection Ombudsman, the record of processing. The browser never holds the user's access token, so it asks the
/// console with its session cookie; the console fetches the file from the API with the user's token (renewed as for any
/// page) and passes it on as it comes, with the API's file name. Each download is closed by the API's own policy, and
/// the gateway and the service check the token again.
/// </summary>
public static class ConsoleDownloads
{
    public const string AuditTrailPath = "/audit/export";
    public const string RecordOfProcessingPath = "/downloads/record-of-processing";

    public static readonly string[] RecordOfProcessingFormats = ["csv", "json"];
    public static readonly string[] RecordOfProcessingLanguages = ["fi", "en"];

    public static string RequestExportPath(Guid requestId, string format) => $"/requests/{requestId}/export?format={Uri.EscapeDataString(format)}";

    public static string RecordOfProcessing(string format, string language) => $"{RecordOfProcessingPath}?format={format}&lang={language}";

    public static WebApplication MapConsoleDownloads(this WebApplication app)
    {
        app.MapGet("/requests/{id:guid}/export", DownloadRequestExportAsync).RequireAuthorization(Policies.ReadExports);
        app.MapGet(AuditTrailPath, DownloadAuditTrailAsync).RequireAuthorization(Policies.ReadAuditTrail);
        app.MapGet(RecordOfProcessingPath, DownloadRecordOfProcessingAsync).RequireAuthorization(Policies.ReadCatalogue);
        return app;
    }

    public static async Task<Results<FileStreamHttpResult, ContentHttpResult, ValidationProblem, RedirectHttpResult>> DownloadRequestExportAsync(
        Guid id, string? format, HttpContext http, RequestsApi api, CancellationToken cancellationToken)
    {
        var wanted = format?.Trim().ToLowerInvariant() ?? "";
        if (!RequestTerms.ExportFormats.Contains(wanted, StringComparer.Ordinal))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["format"] = [$"The export is {string.Join(" or ", RequestTerms.ExportFormats)}."] },
                title: "The format is not valid.");
        }

        return await PassOnAsync(http, ct => api.ExportAsync(id, wanted, ct), RequestExportPath(id, wanted), $"export-{id}.{wanted}", cancellationToken);
    }

    public static Task<Results<FileStreamHttpResult, ContentHttpResult, ValidationProblem, RedirectHttpResult>> DownloadAuditTrailAsync(
        DateOnly? from, DateOnly? to, HttpContext http, AuditApi api, CancellationToken cancellationToken) =>
        // A period the API refuses (too long, the last day before the first) is its problem, passed on as it said it.
        PassOnAsync(http, ct => api.CsvAsync(from, to, ct), "/audit", "procexon-request-audit.csv", cancellationToken);

    public static async Task<Results<FileStreamHttpResult, ContentHttpResult, ValidationProblem, RedirectHttpResult>> DownloadRecordOfProcessingAsync(
        string? format, string? lang, HttpContext http, CatalogueApi api, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (format is null || !RecordOfProcessingFormats.Contains(format, StringComparer.Ordinal))
        {
            errors["format"] = [$"Give one of: {string.Join(", ", RecordOfProcessingFormats)}."];
        }

        if (lang is null || !RecordOfProcessingLanguages.Contains(lang, StringComparer.Ordinal))
        {
            errors["lang"] = [$"Give one of: {string.Join(", ", RecordOfProcessingLanguages)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The record of processing cannot be given in that form.");
        }

        return await PassOnAsync(http, ct => api.RecordOfProcessingAsync(format!, lang!, ct), "/registers", $"record-of-processing-{lang}.{format}", cancellationToken);
    }

    private static async Task<Results<FileStreamHttpResult, ContentHttpResult, ValidationProblem, RedirectHttpResult>> PassOnAsync(
        HttpContext http, Func<CancellationToken, Task<HttpResponseMessage>> fetch, string returnPath, string fallbackName, CancellationToken cancellationToken)
    {
        // No circuit makes this call: the request's own user and services stand in for one, so the token handler finds
        // this user's session (and renews its token) as it does for a page.
        if (http.RequestServices.GetRequiredService<AuthenticationStateProvider>() is IHostEnvironmentAuthenticationStateProvider state)
        {
            state.SetAuthenticationState(Task.FromResult(new AuthenticationState(http.User)));
        }

        var circuit = http.RequestServices.GetRequiredService<CircuitServices>();
        circuit.Current = http.RequestServices;
        HttpResponseMessage response;
        try
        {
            response = await fetch(cancellationToken);
        }
        catch (SessionEndedException)
        {
            return TypedResults.Redirect($"{AccountEndpoints.LoginPath}?returnUrl={Uri.EscapeDataString(returnPath)}");
        }
        finally
        {
            circuit.Current = null;
        }

        http.Response.RegisterForDispose(response);
        if (!response.IsSuccessStatusCode)
        {
            // The API's problem as it said it, fields named, with its status.
            return TypedResults.Content(await response.Content.ReadAsStringAsync(cancellationToken),
                response.Content.Headers.ContentType?.ToString() ?? "application/problem+json", statusCode: (int)response.StatusCode);
        }

        var disposition = response.Content.Headers.ContentDisposition;
        var fileName = (disposition?.FileNameStar ?? disposition?.FileName)?.Trim('"') ?? fallbackName;
        return TypedResults.Stream(await response.Content.ReadAsStreamAsync(cancellationToken),
            response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream", fileName);
    }
}
