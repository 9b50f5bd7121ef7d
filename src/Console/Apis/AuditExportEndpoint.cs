using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Procexon.Console.Apis;

/// <summary>
/// The audit export's download for the Data Protection Ombudsman: the browser asks the console with its session
/// cookie, the console fetches the CSV from the API with the user's own access token and passes it on. The token never
/// reaches the browser, and the gateway and RightsRequests check the user's role as for any other call.
/// </summary>
public static class AuditExportEndpoint
{
    public const string Path = "/audit/export";

    public static WebApplication MapAuditExport(this WebApplication app)
    {
        app.MapGet(Path, DownloadAsync).RequireAuthorization(Policies.ReadAuditTrail);
        return app;
    }

    public static async Task<Results<FileStreamHttpResult, ContentHttpResult, RedirectHttpResult>> DownloadAsync(
        DateOnly? from, DateOnly? to, HttpContext http, AuditApi api, CircuitServices circuit, AuthenticationStateProvider authentication,
        CancellationToken cancellationToken)
    {
        // No circuit makes this call: the request's own user and services stand in for one, so the token handler finds
        // this user's session (and renews its token) as it does for a page.
        ((IHostEnvironmentAuthenticationStateProvider)authentication).SetAuthenticationState(Task.FromResult(new AuthenticationState(http.User)));
        circuit.Current = http.RequestServices;
        HttpResponseMessage response;
        try
        {
            response = await api.CsvAsync(from, to, cancellationToken);
        }
        catch (SessionEndedException)
        {
            return TypedResults.Redirect($"{AccountEndpoints.LoginPath}?returnUrl={Uri.EscapeDataString("/audit")}");
        }
        finally
        {
            circuit.Current = null;
        }

        http.Response.RegisterForDispose(response);
        if (!response.IsSuccessStatusCode)
        {
            // The API's problem as it said it (a period too long, a missing day): the browser shows it as the download's answer.
            return TypedResults.Content(await response.Content.ReadAsStringAsync(cancellationToken),
                response.Content.Headers.ContentType?.ToString() ?? "application/problem+json", statusCode: (int)response.StatusCode);
        }

        var disposition = response.Content.Headers.ContentDisposition;
        var fileName = (disposition?.FileNameStar ?? disposition?.FileName)?.Trim('"') ?? "procexon-request-audit.csv";
        return TypedResults.Stream(await response.Content.ReadAsStreamAsync(cancellationToken),
            response.Content.Headers.ContentType?.ToString() ?? "text/csv; charset=utf-8", fileName);
    }
}
