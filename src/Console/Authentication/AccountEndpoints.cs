using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Procexon.Console.Authentication;

/// <summary>
/// Signing in again, signing out and the language switch. The two that change something are POSTs with an antiforgery
/// token (the header's forms), so no link from another site can sign a user out or change their language.
/// </summary>
public static class AccountEndpoints
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";
    public const string CulturePath = "/culture";
    public const string SignedOutPath = "/signed-out";

    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        // A page whose session ended sends the user here, and the provider sends them back where they were.
        app.MapGet(LoginPath, (string? returnUrl) => TypedResults.Challenge(
                new AuthenticationProperties { RedirectUri = LocalOrHome(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
            .AllowAnonymous();

        // The server-side session goes with the cookie; then the provider ends its own session and sends the browser back.
        app.MapPost(LogoutPath, SignOutAsync).AllowAnonymous();

        app.MapPost(CulturePath, SwitchCulture).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Checked here, not left to the antiforgery middleware, which looks only at requests with a form body: a POST
    /// without one must not sign anyone out either.
    /// </summary>
    public static async Task<Results<SignOutHttpResult, BadRequest>> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest();
        }

        // Read before the session goes with the cookie: the provider is told whose session to end (id_token_hint).
        http.Items[IdTokenHintItem] = await http.GetTokenAsync("id_token");
        return TypedResults.SignOut(
            new AuthenticationProperties { RedirectUri = SignedOutPath },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
    }

    /// <summary>Where <see cref="SignOutAsync"/> leaves the id token for the sign-out redirect to the provider.</summary>
    public const string IdTokenHintItem = "procexon.id_token_hint";

    /// <summary>Remembers the language for a year in the cookie the request localisation reads (shared with the login pages).</summary>
    public static Results<RedirectHttpResult, BadRequest> SwitchCulture(
        [FromForm] string culture, [FromForm] string? returnUrl, HttpContext http, TimeProvider clock)
    {
        if (!ConsoleCultures.Supported.Contains(culture, StringComparer.Ordinal))
        {
            return TypedResults.BadRequest();
        }

        http.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true });
        return TypedResults.LocalRedirect(LocalOrHome(returnUrl));
    }

    // Only a path of this site: an open redirect would let a link send a signed-in user anywhere.
    private static string LocalOrHome(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
