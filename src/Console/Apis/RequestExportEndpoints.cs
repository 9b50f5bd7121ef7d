using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Procexon.Console.Apis;

/// <summary>
/// The download of an access or portability export. The browser never holds the user's access token, so it asks the
/// console, which asks the API with the token from the user's server-side session and passes the file on as it comes.
/// Closed by the same policy as the API's export (<see cref="Policies.ReadExports"/>); the gateway and the service check
/// the token again.
/// </summary>
public static class RequestExportEndpoints
{
    public static string PathOf(Guid requestId, string format) => $"/requests/{requestId}/export?format={Uri.EscapeDataString(format)}";

    public static WebApplication MapRequestExports(this WebApplication app)
    {
        app.MapGet("/requests/{id:guid}/export", DownloadAsync)
            .RequireAuthorization(Policies.ReadExports)
            .WithName("DownloadRequestExport");
        return app;
    }

    public static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult, RedirectHttpResult>> DownloadAsync(
        Guid id, string? format, HttpContext http, RequestsApi api, CircuitServices circuit, AuthenticationStateProvider authentication,
        CancellationToken cancellationToken)
    {
        var wanted = format?.Trim().ToLowerInvariant() ?? "";
        if (!RequestTerms.ExportFormats.Contains(wanted, StringComparer.Ordinal))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["format"] = [$"The export is {string.Join(" or ", RequestTerms.ExportFormats)}."] },
                title: "The format is not valid.");
        }

        // The API client's token handler finds the user's tokens through the scope that calls it: outside a circuit,
        // this request's, whose user is the cookie's.
        if (authentication is IHostEnvironmentAuthenticationStateProvider host)
        {
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(http.User)));
        }

        circuit.Current = http.RequestServices;
        HttpResponseMessage response;
        try
        {
            response = await api.ExportAsync(id, wanted, cancellationToken);
        }
        catch (SessionEndedException)
        {
            return TypedResults.Redirect($"{AccountEndpoints.LoginPath}?returnUrl={Uri.EscapeDataString(PathOf(id, wanted))}");
        }
        finally
        {
            circuit.Current = null;
        }

        http.Response.RegisterForDispose(response);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await ApiProblem.ReadAsync(response, cancellationToken);
            return TypedResults.Problem(title: problem.Title, detail: problem.Detail, statusCode: problem.Status);
        }

        var disposition = response.Content.Headers.ContentDisposition;
        var name = (disposition?.FileNameStar ?? disposition?.FileName)?.Trim('"') ?? $"export-{id}.{wanted}";
        return TypedResults.Stream(
            await response.Content.ReadAsStreamAsync(cancellationToken),
            response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream",
            name);
    }
}
