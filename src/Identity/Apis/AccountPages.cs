using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Procexon.Identity.Apis;

/// <summary>
/// The pages a member of staff sees when a client sends them to sign in: user name and password, then the
/// authenticator code (or its enrolment, for a role that requires one), then back to the authorization request.
/// </summary>
public static partial class AccountPages
{
    public const string HomePath = "/account";
    public const string LoginPath = "/account/login";
    public const string TwoFactorPath = "/account/two-factor";
    public const string EnrolPath = "/account/authenticator";
    public const string RecoveryPath = "/account/recovery-code";
    public const string LanguagePath = "/account/language";
    public const string LoggedOutPath = "/account/signed-out";
    public const string StylePath = "/account/site.css";

    public static IEndpointRouteBuilder MapAccountPages(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("").WithTags("Sign-in pages").ExcludeFromDescription();
        account.MapGet(HomePath, Home);
        account.MapGet(LoginPath, Login);
        account.MapPost(LoginPath, SubmitLogin);
        account.MapGet(TwoFactorPath, TwoFactor);
        account.MapPost(TwoFactorPath, SubmitTwoFactor);
        account.MapGet(RecoveryPath, Recovery);
        account.MapPost(RecoveryPath, SubmitRecovery);
        account.MapGet(EnrolPath, Enrol);
        account.MapPost(EnrolPath, SubmitEnrol);
        account.MapGet(LanguagePath, ChooseLanguage);
        account.MapGet(LoggedOutPath, LoggedOut);
        account.MapGet(StylePath, () => TypedResults.Text(Style, "text/css; charset=utf-8"));
        return app;
    }

    public sealed class LoginForm
    {
        public string? UserName { get; set; }
        public string? Password { get; set; }
        public string? ReturnUrl { get; set; }
    }

    public sealed class CodeForm
    {
        public string? Code { get; set; }
        public string? ReturnUrl { get; set; }
    }

    public static async Task<ContentHttpResult> Home(HttpContext context, UserManager<ApplicationUser> users, IStringLocalizer<Texts> texts)
    {
        var user = context.User.Identity?.IsAuthenticated == true ? await users.GetUserAsync(context.User) : null;
        var status = user is null ? texts["NotSignedIn"] : texts["SignedInAs", user.DisplayName];
        return Page.Render(context, texts, texts["AppTitle"], $"<p>{Page.Encode(status)}</p>");
    }

    public static ContentHttpResult Login(
        HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts, [FromQuery(Name = "ReturnUrl")] string? returnUrl) =>
        LoginPage(context, antiforgery, texts, returnUrl, userName: null, message: null);

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> SubmitLogin(
        [FromForm] LoginForm form, HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts,
        UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, IOptions<IdentityProviderOptions> options)
    {
        var returnUrl = LocalOrHome(form.ReturnUrl);
        if (string.IsNullOrWhiteSpace(form.UserName) || string.IsNullOrEmpty(form.Password))
        {
            return LoginPage(context, antiforgery, texts, returnUrl, form.UserName, texts["Required"]);
        }

        var user = await users.FindByNameAsync(form.UserName);
        var result = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.CheckPasswordSignInAsync(user, form.Password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            var lockout = users.Options.Lockout;
            return LoginPage(context, antiforgery, texts, returnUrl, form.UserName,
                texts["LockedOut", lockout.DefaultLockoutTimeSpan.TotalMinutes, lockout.MaxFailedAccessAttempts]);
        }

        if (!result.Succeeded || user is null)
        {
            return LoginPage(context, antiforgery, texts, returnUrl, form.UserName, texts["InvalidLogin"]);
        }

        if (user.TwoFactorEnabled)
        {
            await RememberPasswordStepAsync(context, user);
            return TypedResults.Redirect(WithReturnUrl(TwoFactorPath, returnUrl));
        }

        var rolesRequiringCode = options.Value.TwoFactorRequiredForRoles;
        if ((await users.GetRolesAsync(user)).Any(rolesRequiringCode.Contains))
        {
            await RememberPasswordStepAsync(context, user);
            return TypedResults.Redirect(WithReturnUrl(EnrolPath, returnUrl));
        }

        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "pwd");
        return TypedResults.Redirect(returnUrl);
    }

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> TwoFactor(
        HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts, SignInManager<ApplicationUser> signIn,
        [FromQuery(Name = "ReturnUrl")] string? returnUrl)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return TypedResults.Redirect(WithReturnUrl(LoginPath, LocalOrHome(returnUrl)));
        }

        return TwoFactorPage(context, antiforgery, texts, LocalOrHome(returnUrl), message: null);
    }

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> SubmitTwoFactor(
        [FromForm] CodeForm form, HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts,
        UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn)
    {
        var returnUrl = LocalOrHome(form.ReturnUrl);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(Normalise(form.Code), isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            return TypedResults.Redirect(returnUrl);
        }

        if (result.IsLockedOut)
        {
            var lockout = users.Options.Lockout;
            return TwoFactorPage(context, antiforgery, texts, returnUrl,
                texts["LockedOut", lockout.DefaultLockoutTimeSpan.TotalMinutes, lockout.MaxFailedAccessAttempts]);
        }

        return await signIn.GetTwoFactorAuthenticationUserAsync() is null
            ? TypedResults.Redirect(WithReturnUrl(LoginPath, returnUrl))
            : TwoFactorPage(context, antiforgery, texts, returnUrl, texts["InvalidCode"]);
    }

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> Enrol(
        HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts, UserManager<ApplicationUser> users,
        SignInManager<ApplicationUser> signIn, [FromQuery(Name = "ReturnUrl")] string? returnUrl)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return TypedResults.Redirect(WithReturnUrl(LoginPath, LocalOrHome(returnUrl)));
        }

        if (user.TwoFactorEnabled)
        {
            return TypedResults.Redirect(WithReturnUrl(TwoFactorPath, LocalOrHome(returnUrl)));
        }

        return await EnrolPageAsync(context, antiforgery, texts, users, user, LocalOrHome(returnUrl), message: null);
    }

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> SubmitEnrol(
        [FromForm] CodeForm form, HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts,
        UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn)
    {
        var returnUrl = LocalOrHome(form.ReturnUrl);
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null || user.TwoFactorEnabled || await users.IsLockedOutAsync(user))
        {
            return TypedResults.Redirect(WithReturnUrl(LoginPath, returnUrl));
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Normalise(form.Code)))
        {
            // Wrong codes count towards the lockout as wrong passwords do: six digits are guessable otherwise.
            await users.AccessFailedAsync(user);
            return await EnrolPageAsync(context, antiforgery, texts, users, user, returnUrl, texts["InvalidCode"]);
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await users.ResetAccessFailedCountAsync(user);
        await context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "otp");

        // Shown once, now; each lets its holder past the code step once, for the day the phone is lost.
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? [];
        var list = string.Concat(codes.Select(c => $"<li><code>{Page.Encode(c)}</code></li>"));
        return Page.Render(context, texts, texts["RecoveryCodesHeading"],
            $"""
            <p>{Page.Encode(texts["RecoveryCodesHelp", RecoveryCodeCount])}</p>
            <ul id="recovery-codes">{list}</ul>
            <p><a href="{Page.Encode(returnUrl)}">{Page.Encode(texts["Continue"])}</a></p>
            """);
    }

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> Recovery(
        HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts, SignInManager<ApplicationUser> signIn,
        [FromQuery(Name = "ReturnUrl")] string? returnUrl)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return TypedResults.Redirect(WithReturnUrl(LoginPath, LocalOrHome(returnUrl)));
        }

        return RecoveryPage(context, antiforgery, texts, LocalOrHome(returnUrl), message: null);
    }

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> SubmitRecovery(
        [FromForm] CodeForm form, HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts,
        UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn)
    {
        var returnUrl = LocalOrHome(form.ReturnUrl);
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return TypedResults.Redirect(WithReturnUrl(LoginPath, returnUrl));
        }

        if (await users.IsLockedOutAsync(user))
        {
            var lockout = users.Options.Lockout;
            return RecoveryPage(context, antiforgery, texts, returnUrl,
                texts["LockedOut", lockout.DefaultLockoutTimeSpan.TotalMinutes, lockout.MaxFailedAccessAttempts]);
        }

        // Typed as shown ("abcde-12345") or with spaces; stored as generated, upper case with its dash.
        var code = (form.Code ?? "").Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.Succeeded)
        {
            return TypedResults.Redirect(returnUrl);
        }

        // A wrong recovery code counts towards the lockout like a wrong password.
        await users.AccessFailedAsync(user);
        return RecoveryPage(context, antiforgery, texts, returnUrl, texts["InvalidRecoveryCode"]);
    }

    public static Results<RedirectHttpResult, ProblemHttpResult> ChooseLanguage(
        HttpContext context, IOptions<RequestLocalizationOptions> localization, string? culture, string? returnUrl)
    {
        if (culture is null || !localization.Value.SupportedUICultures!.Any(c => c.Name == culture))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unsupported language.",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["culture"] = ["Use fi or en."] } });
        }

        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
        return TypedResults.Redirect(LocalOrHome(returnUrl));
    }

    public static ContentHttpResult LoggedOut(HttpContext context, IStringLocalizer<Texts> texts) =>
        Page.Render(context, texts, texts["LoggedOutHeading"], $"<p>{Page.Encode(texts["LoggedOut"])}</p>");

    private static ContentHttpResult LoginPage(
        HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts, string? returnUrl, string? userName, string? message)
    {
        var fields = Page.Field("UserName", texts["UserName"], "text", "username", $" value=\"{Page.Encode(userName)}\"")
            + Page.Field("Password", texts["Password"], "password", "current-password");
        return Page.Render(context, texts, texts["LoginHeading"],
            Page.Alert(message) + Page.Form(context, antiforgery, LoginPath, [("ReturnUrl", LocalOrHome(returnUrl))], fields, texts["SignIn"]));
    }

    private static ContentHttpResult TwoFactorPage(
        HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts, string returnUrl, string? message) =>
        Page.Render(context, texts, texts["TwoFactorHeading"],
            Page.Alert(message)
            + $"<p>{Page.Encode(texts["TwoFactorHelp"])}</p>"
            + Page.Form(context, antiforgery, TwoFactorPath, [("ReturnUrl", returnUrl)], CodeField(texts), texts["Verify"])
            + $"""<p><a href="{Page.Encode(WithReturnUrl(RecoveryPath, returnUrl))}">{Page.Encode(texts["UseRecoveryCode"])}</a></p>""");

    private static ContentHttpResult RecoveryPage(
        HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts, string returnUrl, string? message) =>
        Page.Render(context, texts, texts["RecoveryHeading"],
            Page.Alert(message)
            + $"<p>{Page.Encode(texts["RecoveryHelp"])}</p>"
            + Page.Form(context, antiforgery, RecoveryPath, [("ReturnUrl", returnUrl)],
                Page.Field("Code", texts["RecoveryCode"], "text", "off", " maxlength=\"32\" spellcheck=\"false\""), texts["Verify"]));

    private static async Task<ContentHttpResult> EnrolPageAsync(
        HttpContext context, IAntiforgery antiforgery, IStringLocalizer<Texts> texts, UserManager<ApplicationUser> users,
        ApplicationUser user, string returnUrl, string? message)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key was stored.");
        }

        var label = Uri.EscapeDataString($"Procexon:{user.UserName}");
        var uri = $"otpauth://totp/{label}?secret={key}&issuer=Procexon&digits=6";
        var grouped = string.Join(' ', key.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
        return Page.Render(context, texts, texts["EnrolHeading"],
            Page.Alert(message)
            + $"""
               <p>{Page.Encode(texts["EnrolHelp"])}</p>
               <dl>
               <dt>{Page.Encode(texts["SharedKey"])}</dt><dd><code id="shared-key">{Page.Encode(grouped)}</code></dd>
               <dt>{Page.Encode(texts["AuthenticatorUri"])}</dt><dd><code id="authenticator-uri">{Page.Encode(uri)}</code></dd>
               </dl>
               """
            + Page.Form(context, antiforgery, EnrolPath, [("ReturnUrl", returnUrl)], CodeField(texts), texts["Verify"]));
    }

    private const int RecoveryCodeCount = 10;

    private static string CodeField(IStringLocalizer<Texts> texts) =>
        Page.Field("Code", texts["Code"], "text", "one-time-code", " inputmode=\"numeric\" pattern=\"[0-9 ]{6,7}\" maxlength=\"7\"");

    /// <summary>What SignInManager keeps between the password and the code step: the user id in its own short-lived cookie.</summary>
    private static Task RememberPasswordStepAsync(HttpContext context, ApplicationUser user)
    {
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Id));
        return context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
    }

    private static string Normalise(string? code) => NotDigits().Replace(code ?? "", "");

    /// <summary>Only a path on this site: a login page must not redirect anywhere an attacker names.</summary>
    private static string LocalOrHome(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : HomePath;

    private static string WithReturnUrl(string path, string returnUrl) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}?ReturnUrl={Uri.EscapeDataString(returnUrl)}");

    [GeneratedRegex("[^0-9]")]
    private static partial Regex NotDigits();

    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f6f7f9; }
        header { display: flex; justify-content: space-between; align-items: center; padding: 0.5rem 1.5rem; background: #0b3d62; color: #fff; }
        header a { color: #fff; }
        header ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
        .brand { font-weight: 600; margin: 0; }
        main { max-width: 28rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 0.5rem; }
        label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
        input { width: 100%; box-sizing: border-box; padding: 0.5rem; font-size: 1rem; border: 1px solid #555; }
        button { padding: 0.6rem 1.2rem; font-size: 1rem; background: #0b3d62; color: #fff; border: 0; border-radius: 0.25rem; }
        :focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
        .alert { padding: 0.75rem; background: #fdecea; border-left: 4px solid #b3261e; }
        code { word-break: break-all; }
        """;
}
