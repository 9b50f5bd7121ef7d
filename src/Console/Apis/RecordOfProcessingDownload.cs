using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Procexon.Console.Apis;

/// <summary>
/// The record of processing (GDPR Art 30) as a file the browser downloads from the console: the console reads it from
/// the API with the user's access token from their server-side session, so the browser never holds the token.
/// </summary>
public static class RecordOfProcessingDownload
{
    public const string Path = "/downloads/record-of-processing";

    public static IEndpointRouteBuilder MapRecordOfProcessingDownload(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, DownloadAsync).RequireAuthorization(Policies.ReadCatalogue);
        return app;
    }

    public static string For(string format, string language) => $"{Path}?format={format}&lang={language}";

    public static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult, RedirectHttpResult>> DownloadAsync(
        string? format, string? lang, HttpContext http, RecordOfProcessingFiles files, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (format is null || !RecordOfProcessingFiles.Formats.Contains(format, StringComparer.Ordinal))
        {
            errors["format"] = [$"Give one of: {string.Join(", ", RecordOfProcessingFiles.Formats)}."];
        }

        if (lang is null || !RecordOfProcessingFiles.Languages.Contains(lang, StringComparer.Ordinal))
        {
            errors["lang"] = [$"Give one of: {string.Join(", ", RecordOfProcessingFiles.Languages)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The record of processing cannot be given in that form.");
        }

        string token;
        try
        {
            token = await AccessTokenAsync(http, cancellationToken);
        }
        catch (SessionEndedException)
        {
            return TypedResults.Redirect($"{AccountEndpoints.LoginPath}?returnUrl={Uri.EscapeDataString("/registers")}");
        }

        var (content, contentType, problem) = await files.ReadAsync(token, format!, lang!, cancellationToken);
        if (problem is not null)
        {
            return TypedResults.Problem(title: problem.Title, detail: problem.Detail, statusCode: problem.Status);
        }

        return TypedResults.File(content!, contentType ?? "application/octet-stream", $"record-of-processing-{lang}.{format}");
    }

    /// <summary>
    /// <see cref="UserTokens"/> finds the user through Blazor's authentication state, which a circuit sets; a plain
    /// request sets it here from the signed-in cookie.
    /// </summary>
    private static Task<string> AccessTokenAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.RequestServices.GetRequiredService<AuthenticationStateProvider>() is IHostEnvironmentAuthenticationStateProvider state)
        {
            state.SetAuthenticationState(Task.FromResult(new AuthenticationState(http.User)));
        }

        return http.RequestServices.GetRequiredService<UserTokens>().AccessTokenAsync(cancellationToken);
    }
}
