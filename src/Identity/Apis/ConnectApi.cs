using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Procexon.Identity.Apis;

/// <summary>
/// The OpenID Connect endpoints OpenIddict passes through to us once it has validated the request: we decide who the
/// caller is and what the token says; OpenIddict writes the protocol responses and errors.
/// </summary>
public static class ConnectApi
{
    public const string AuthorizePath = "connect/authorize";
    public const string TokenPath = "connect/token";
    public const string EndSessionPath = "connect/endsession";
    public const string UserInfoPath = "connect/userinfo";

    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("").WithTags("OpenID Connect").ExcludeFromDescription();
        connect.MapMethods(AuthorizePath, ["GET", "POST"], Authorize);
        connect.MapPost(TokenPath, Exchange);
        connect.MapMethods(UserInfoPath, ["GET", "POST"], UserInfo);
        connect.MapGet(EndSessionPath, ConfirmEndSession);
        connect.MapPost(EndSessionPath, EndSession);
        return app;
    }

    /// <summary>
    /// An authenticated user gets a code with their claims; anyone else is sent to the login page and back here. So is a
    /// signed-in user when the client asks for a fresh login (<c>prompt=login</c>) or their login is older than the
    /// client's <c>max_age</c> (OpenID Connect Core 3.1.2.1).
    /// </summary>
    public static async Task<Results<SignInHttpResult, ChallengeHttpResult, ForbidHttpResult>> Authorize(
        HttpContext context, UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, TimeProvider clock)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = cookie.Succeeded ? await users.GetUserAsync(cookie.Principal) : null;
        var signedInAt = cookie.Properties?.IssuedUtc;
        var tooOld = request.MaxAge is { } maxAge && (signedInAt is null || clock.GetUtcNow() - signedInAt > TimeSpan.FromSeconds(maxAge));
        if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user)
            || request.HasPromptValue(PromptValues.Login) || tooOld)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back here after the login without prompt=login and max_age: the login just made satisfies both, and
            // keeping them would send the user round again for ever.
            var query = (context.Request.HasFormContentType ? [.. context.Request.Form] : context.Request.Query.ToList())
                .Where(p => p.Key is not (Parameters.Prompt or Parameters.MaxAge))
                .Append(new(Parameters.Prompt, string.Join(' ', request.GetPromptValues().Remove(PromptValues.Login))))
                .Where(p => !string.IsNullOrEmpty(p.Value));
            return TypedResults.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(query) },
                [IdentityConstants.ApplicationScheme]);
        }

        var identity = await TokenClaims.OfUserAsync(TokenClaims.NewIdentity(), users, user);
        TokenClaims.SetAuthenticationTime(identity, signedInAt!.Value);
        return TypedResults.SignIn(TokenClaims.ForTokens(identity, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// Client credentials: the client's configured roles (and recipient). Code and refresh token: the user's current
    /// roles, so a role removed since login is gone from the next access token; a locked-out user gets none.
    /// </summary>
    public static async Task<Results<SignInHttpResult, ForbidHttpResult>> Exchange(
        HttpContext context, IOpenIddictApplicationManager applications, UserManager<ApplicationUser> users,
        SignInManager<ApplicationUser> signIn, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken)
                ?? throw new InvalidOperationException("OpenIddict authenticated a client that does not exist.");
            var identity = TokenClaims.OfClient(
                request.ClientId!,
                await applications.GetDisplayNameAsync(application, cancellationToken),
                await applications.GetPropertiesAsync(application, cancellationToken));
            return TypedResults.SignIn(TokenClaims.ForTokens(identity, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var granted = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
                ?? throw new InvalidOperationException("OpenIddict validated a grant without a principal.");
            var user = await users.FindByIdAsync(granted.GetClaim(Claims.Subject) ?? "");
            if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
            {
                return Forbid(Errors.InvalidGrant, "The user may no longer sign in.");
            }

            // The granted principal keeps OpenIddict's own claims (authorization id, token ids); ours are refreshed.
            var identity = await TokenClaims.OfUserAsync(
                new ClaimsIdentity(granted.Claims, Microsoft.IdentityModel.Tokens.TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role), users, user);
            return TypedResults.SignIn(TokenClaims.ForTokens(identity, granted.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    public static async Task<Results<Ok<Dictionary<string, object>>, ChallengeHttpResult>> UserInfo(
        HttpContext context, UserManager<ApplicationUser> users)
    {
        var principal = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var user = principal is null ? null : await users.FindByIdAsync(principal.GetClaim(Claims.Subject) ?? "");
        if (principal is null || user is null)
        {
            return TypedResults.Challenge(
                Properties(Errors.InvalidToken, "The access token names no current user."),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var claims = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = user.Id };
        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = string.IsNullOrEmpty(user.DisplayName) ? user.UserName ?? user.Id : user.DisplayName;
            claims[Claims.PreferredUsername] = user.UserName ?? user.Id;
        }

        if (principal.HasScope(Scopes.Roles))
        {
            claims[Claims.Role] = await users.GetRolesAsync(user);
        }

        return TypedResults.Ok(claims);
    }

    /// <summary>Logout asks first: a link alone must not sign anyone out.</summary>
    public static ContentHttpResult ConfirmEndSession(HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var hidden = request.GetParameters().Select(p => (p.Key, (string?)p.Value));
        return Page.Render(context, texts, texts["LogoutHeading"],
            $"""
            <p>{Page.Encode(texts["LogoutQuestion"])}</p>
            {Page.Form(context, antiforgery, "/" + EndSessionPath, hidden, "", texts["LogoutConfirm"])}
            """);
    }

    public static async Task<Results<SignOutHttpResult, ProblemHttpResult>> EndSession(
        HttpContext context, IAntiforgery antiforgery, SignInManager<ApplicationUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The logout form is invalid or expired.");
        }

        await signIn.SignOutAsync();
        // OpenIddict redirects to the client's registered post_logout_redirect_uri when the request named one.
        return TypedResults.SignOut(new AuthenticationProperties { RedirectUri = AccountPages.LoggedOutPath },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static ForbidHttpResult Forbid(string error, string description) =>
        TypedResults.Forbid(Properties(error, description), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static AuthenticationProperties Properties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}
