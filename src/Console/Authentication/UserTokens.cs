using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace Procexon.Console.Authentication;

/// <summary>
/// The signed-in user's access token, from their server-side session, renewed with the refresh token when it is about
/// to expire (access tokens live minutes). Scoped to a circuit: one per open console tab.
/// </summary>
public sealed partial class UserTokens(
    AuthenticationStateProvider authentication,
    ServerSideSessions sessions,
    IOptionsMonitor<OpenIdConnectOptions> oidc,
    IOptions<ConsoleOptions> options,
    TimeProvider clock,
    ILogger<UserTokens> logger)
{
    // Rolling refresh tokens are single-use: two tabs of one session must not both spend the same one.
    private static readonly SemaphoreSlim s_refreshing = new(1, 1);

    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var key = user.FindFirst(ServerSideSessions.SessionClaim)?.Value ?? throw new SessionEndedException();
        var ticket = await sessions.RetrieveAsync(key) ?? throw new SessionEndedException();
        if (Fresh(ticket) is { } token)
        {
            return token;
        }

        await s_refreshing.WaitAsync(cancellationToken);
        try
        {
            // Another tab may have renewed it while this one waited.
            ticket = await sessions.RetrieveAsync(key) ?? throw new SessionEndedException();
            return Fresh(ticket) ?? await RefreshAsync(key, ticket, cancellationToken);
        }
        finally
        {
            s_refreshing.Release();
        }
    }

    private string? Fresh(AuthenticationTicket ticket)
    {
        var token = ticket.Properties.GetTokenValue("access_token");
        var expiresAt = ticket.Properties.GetTokenValue("expires_at");
        return token is not null && expiresAt is not null
            && DateTimeOffset.Parse(expiresAt, CultureInfo.InvariantCulture) - clock.GetUtcNow() > options.Value.RefreshBefore
            ? token
            : null;
    }

    private async Task<string> RefreshAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var refreshToken = ticket.Properties.GetTokenValue("refresh_token") ?? throw new SessionEndedException();
        var settings = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        var configuration = await settings.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        using var response = await settings.Backchannel.PostAsync(new Uri(configuration.TokenEndpoint), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = settings.ClientId!,
            ["client_secret"] = settings.ClientSecret!,
        }), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // Revoked, expired, or the user may no longer sign in: the session is over, and the user signs in again.
            LogRefreshRefused(logger, (int)response.StatusCode);
            await sessions.RemoveAsync(key);
            throw new SessionEndedException();
        }

        using var tokens = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = tokens.RootElement;
        var accessToken = root.GetProperty("access_token").GetString()!;
        var expiresAt = clock.GetUtcNow().AddSeconds(root.GetProperty("expires_in").GetInt32());
        ticket.Properties.UpdateTokenValue("access_token", accessToken);
        ticket.Properties.UpdateTokenValue("expires_at", expiresAt.ToString("o", CultureInfo.InvariantCulture));
        if (root.TryGetProperty("refresh_token", out var rolled) && rolled.GetString() is { } next)
        {
            ticket.Properties.UpdateTokenValue("refresh_token", next);
        }

        await sessions.RenewAsync(key, ticket);
        LogRefreshed(logger);
        return accessToken;
    }

    // Never the token, never the user: that a renewal happened is all an operator needs.
    [LoggerMessage(Level = LogLevel.Information, Message = "Renewed a session's access token with its refresh token")]
    private static partial void LogRefreshed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The identity provider refused a session's refresh token ({Status}); the session has ended")]
    private static partial void LogRefreshRefused(ILogger logger, int status);
}

/// <summary>The user's session is gone (expired, refused a refresh, or this process restarted): they sign in again.</summary>
public sealed class SessionEndedException : Exception
{
    public SessionEndedException()
        : base("The signed-in session has ended.")
    {
    }

    public SessionEndedException(string message)
        : base(message)
    {
    }

    public SessionEndedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
