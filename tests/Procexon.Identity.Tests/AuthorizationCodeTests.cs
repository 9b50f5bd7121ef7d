using System.Net;
using Procexon.Testing;

namespace Procexon.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class AuthorizationCodeTests(IdentityFixture fixture)
{
    private IdentityProvider Provider => fixture.Provider;

    [Fact]
    public async Task Staff_user_signs_in_through_the_login_form_and_gets_tokens_with_code_and_pkce_then_refreshes_them()
    {
        using var browser = new Browser(Provider);
        var login = await browser.GetAsync(browser.AuthorizeUri());
        Assert.Equal("/account/login", login.Location.AbsolutePath);
        Assert.Contains("name=\"__RequestVerificationToken\"", login.Html, StringComparison.Ordinal);

        var callback = await browser.SignInAsync(login, "customer-service", Provider.PasswordOf("customer-service"));
        Assert.True(callback.AtClient, callback.Location + callback.Html);
        Assert.Equal("some-state", callback.Query("state"));

        var tokens = await browser.ExchangeAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = callback.Query("code")!,
            ["redirect_uri"] = IdentityProvider.BrowserRedirectUri.AbsoluteUri,
            ["client_id"] = IdentityProvider.BrowserClientId,
            ["code_verifier"] = browser.CodeVerifier,
        });
        var access = await Tokens.ValidateAsync(Provider, tokens.GetProperty("access_token").GetString()!);
        Assert.Equal("Test customer-service", access.GetClaim("name").Value);
        Assert.Equal(["customer-service"], access.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal(IdentityProvider.BrowserClientId, access.GetClaim("client_id").Value);
        Assert.True(tokens.TryGetProperty("id_token", out _));

        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        var refreshed = await browser.ExchangeAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = IdentityProvider.BrowserClientId,
        });
        var again = await Tokens.ValidateAsync(Provider, refreshed.GetProperty("access_token").GetString()!);
        Assert.Equal(access.Subject, again.Subject);
        // Rolling: each refresh hands out a new refresh token.
        Assert.NotEqual(refreshToken, refreshed.GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task Authorization_request_without_pkce_is_refused()
    {
        using var browser = new Browser(Provider);
        var answer = await browser.GetAsync(browser.AuthorizeUri(pkce: false));

        // OpenIddict answers itself, before any login, and names the missing parameter.
        Assert.False(answer.AtClient);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("error:invalid_request", answer.Html, StringComparison.Ordinal);
        Assert.Contains("code_challenge", answer.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_without_its_verifier_is_refused()
    {
        using var browser = new Browser(Provider);
        var callback = await browser.SignInAsync(await browser.GetAsync(browser.AuthorizeUri()), "register-admin", Provider.PasswordOf("register-admin"));
        using var http = new HttpClient { BaseAddress = Provider.Issuer };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = callback.Query("code")!,
            ["redirect_uri"] = IdentityProvider.BrowserRedirectUri.AbsoluteUri,
            ["client_id"] = IdentityProvider.BrowserClientId,
        });
        using var response = await http.PostAsync(new Uri("connect/token", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_user_out_so_the_right_one_is_refused_with_a_message_that_says_so()
    {
        using var browser = new Browser(Provider);
        await browser.GetAsync(new Uri(Provider.Issuer, "account/language?culture=en&returnUrl=/account/login"));
        var page = await browser.GetAsync(browser.AuthorizeUri());
        for (var attempt = 0; attempt < 5; attempt++)
        {
            page = await browser.SignInAsync(page, "auditor", "Wrong-password-123");
            Assert.False(page.AtClient);
        }

        Assert.Contains("locked for 15 minutes after 5 failed", page.Html, StringComparison.Ordinal);
        page = await browser.SignInAsync(page, "auditor", Provider.PasswordOf("auditor"));

        Assert.False(page.AtClient);
        Assert.Equal("/account/login", page.Location.AbsolutePath);
        Assert.Contains("role=\"alert\">The account is locked for 15 minutes", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_whose_role_requires_an_authenticator_enrols_after_the_password_and_then_must_give_a_valid_code()
    {
        using var first = new Browser(Provider);
        var enrolment = await first.SignInAsync(await first.GetAsync(first.AuthorizeUri()), "privacy-officer", Provider.PasswordOf("privacy-officer"));
        Assert.Equal("/account/authenticator", enrolment.Location.AbsolutePath);
        var key = System.Text.RegularExpressions.Regex.Match(enrolment.Html, "<code id=\"shared-key\">([^<]+)</code>").Groups[1].Value;
        Assert.Contains("otpauth://totp/", enrolment.Html, StringComparison.Ordinal);

        var refused = await first.SubmitAsync(enrolment, new Dictionary<string, string> { ["Code"] = WrongCode(key) });
        Assert.Equal("/account/authenticator", refused.Location.AbsolutePath);
        var codesPage = await first.SubmitAsync(refused, new Dictionary<string, string> { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        var recoveryCodes = System.Text.RegularExpressions.Regex.Matches(codesPage.Html, "<li><code>([^<]+)</code></li>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, recoveryCodes.Distinct().Count());
        var enrolled = await first.GetAsync(new Uri(Provider.Issuer, LinkTo(codesPage, "/connect/authorize")));
        Assert.True(enrolled.AtClient, enrolled.Location + enrolled.Html);
        // At rest the shared key and the recovery codes are encrypted: the database alone gives no second factor.
        var tokens = await UserTokensAsTextAsync();
        Assert.Contains("\\x01", tokens, StringComparison.Ordinal);
        foreach (var secret in recoveryCodes.Append(key.Replace(" ", "", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(secret, tokens, StringComparison.OrdinalIgnoreCase);
        }

        using var second = new Browser(Provider);
        var codeStep = await second.SignInAsync(await second.GetAsync(second.AuthorizeUri()), "privacy-officer", Provider.PasswordOf("privacy-officer"));
        Assert.Equal("/account/two-factor", codeStep.Location.AbsolutePath);
        Assert.False((await second.GetAsync(second.AuthorizeUri())).AtClient);

        var wrong = await second.SubmitAsync(codeStep, new Dictionary<string, string> { ["Code"] = WrongCode(key) });
        Assert.Equal("/account/two-factor", wrong.Location.AbsolutePath);
        Assert.Contains("role=\"alert\"", wrong.Html, StringComparison.Ordinal);

        var callback = await second.SubmitAsync(wrong, new Dictionary<string, string> { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.True(callback.AtClient, callback.Location + callback.Html);
        Assert.NotNull(callback.Query("code"));

        // The phone is lost: a recovery code instead of the six digits, typed in lower case with a space; once only.
        using var third = new Browser(Provider);
        var lost = await third.SignInAsync(await third.GetAsync(third.AuthorizeUri()), "privacy-officer", Provider.PasswordOf("privacy-officer"));
        var recovery = await third.GetAsync(new Uri(Provider.Issuer, LinkTo(lost, "/account/recovery-code")));
        Assert.Equal("/account/recovery-code", recovery.Location.AbsolutePath);
        var recovered = await third.SubmitAsync(recovery, new Dictionary<string, string> { ["Code"] = " " + recoveryCodes[0].ToLowerInvariant() });
        Assert.True(recovered.AtClient, recovered.Location + recovered.Html);

        using var fourth = new Browser(Provider);
        var again = await fourth.SignInAsync(await fourth.GetAsync(fourth.AuthorizeUri()), "privacy-officer", Provider.PasswordOf("privacy-officer"));
        var reused = await fourth.SubmitAsync(
            await fourth.GetAsync(new Uri(Provider.Issuer, LinkTo(again, "/account/recovery-code"))),
            new Dictionary<string, string> { ["Code"] = recoveryCodes[0] });
        Assert.False(reused.AtClient);
        Assert.Contains("role=\"alert\"", reused.Html, StringComparison.Ordinal);
        Assert.True((await fourth.SubmitAsync(reused, new Dictionary<string, string> { ["Code"] = recoveryCodes[1] })).AtClient);
    }

    [Fact]
    public async Task Client_asking_for_a_fresh_login_or_a_recent_one_sends_a_signed_in_user_back_to_the_login_page_once()
    {
        using var browser = new Browser(Provider);
        Assert.True((await browser.SignInAsync(await browser.GetAsync(browser.AuthorizeUri()), "customer-service", Provider.PasswordOf("customer-service"))).AtClient);
        Assert.True((await browser.GetAsync(browser.AuthorizeUri())).AtClient);

        var login = await browser.GetAsync(new Uri(browser.AuthorizeUri() + "&prompt=login"));
        Assert.Equal("/account/login", login.Location.AbsolutePath);
        var callback = await browser.SignInAsync(login, "customer-service", Provider.PasswordOf("customer-service"));
        Assert.True(callback.AtClient, callback.Location + callback.Html);

        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var tooOld = await browser.GetAsync(new Uri(browser.AuthorizeUri() + "&max_age=1"));
        Assert.Equal("/account/login", tooOld.Location.AbsolutePath);
        var fresh = await browser.SignInAsync(tooOld, "customer-service", Provider.PasswordOf("customer-service"));
        Assert.True(fresh.AtClient, fresh.Location + fresh.Html);

        // The id token says when the user last signed in, as a client asking max_age needs to check.
        var tokens = await browser.ExchangeAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = fresh.Query("code")!,
            ["redirect_uri"] = IdentityProvider.BrowserRedirectUri.AbsoluteUri,
            ["client_id"] = IdentityProvider.BrowserClientId,
            ["code_verifier"] = browser.CodeVerifier,
        });
        var idToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(tokens.GetProperty("id_token").GetString()!);
        var authTime = DateTimeOffset.FromUnixTimeSeconds(long.Parse(idToken.GetClaim("auth_time").Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(authTime, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Logout_asks_for_confirmation_then_ends_the_session_and_returns_to_the_client()
    {
        using var browser = new Browser(Provider);
        Assert.True((await browser.SignInAsync(await browser.GetAsync(browser.AuthorizeUri()), "register-admin", Provider.PasswordOf("register-admin"))).AtClient);

        var confirm = await browser.GetAsync(new Uri(Provider.Issuer,
            "connect/endsession?client_id=test-browser&post_logout_redirect_uri=" + Uri.EscapeDataString(IdentityProvider.BrowserPostLogoutRedirectUri.AbsoluteUri)));
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains("<form method=\"post\" action=\"/connect/endsession\"", confirm.Html, StringComparison.Ordinal);
        Assert.True((await browser.GetAsync(browser.AuthorizeUri())).AtClient);

        var after = await browser.SubmitAsync(confirm, new Dictionary<string, string>());
        Assert.Equal(IdentityProvider.BrowserPostLogoutRedirectUri.AbsoluteUri, after.Location.GetLeftPart(UriPartial.Path));
        Assert.Equal("/account/login", (await browser.GetAsync(browser.AuthorizeUri())).Location.AbsolutePath);
    }

    private static string LinkTo(Browser.Stop page, string pathPrefix) =>
        WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page.Html, $"<a href=\"({System.Text.RegularExpressions.Regex.Escape(pathPrefix)}[^\"]*)\"").Groups[1].Value) is { Length: > 0 } href
            ? href
            : throw new InvalidOperationException($"No link to {pathPrefix}: {page.Html}");

    private static string WrongCode(string key)
    {
        var now = DateTimeOffset.UtcNow;
        var valid = Enumerable.Range(-3, 7).Select(step => Totp.Code(key, now.AddSeconds(30 * step))).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !valid.Contains(c));
    }

    private async Task<string> UserTokensAsTextAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Postgres.ConnectionString("identitydb"));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM user_tokens t", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
