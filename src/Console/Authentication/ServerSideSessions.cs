using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;

namespace Procexon.Console.Authentication;

/// <summary>
/// The signed-in sessions, tokens included, kept in this process's memory: the browser's cookie carries only a random
/// key to one of them. A restart signs everyone out (they sign in again, usually without a password while the identity
/// provider's own cookie lives), and a second replica does not know the first one's sessions (docs/console.md).
/// </summary>
public sealed class ServerSideSessions : ITicketStore, IDisposable
{
    /// <summary>The claim that names a session's key, so an interactive page can find its user's tokens.</summary>
    public const string SessionClaim = "procexon_console_session";

    private readonly MemoryCache _sessions = new(new MemoryCacheOptions());

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        if (ticket.Principal.Identity is ClaimsIdentity identity)
        {
            identity.AddClaim(new Claim(SessionClaim, key));
        }

        Keep(key, ticket);
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        Keep(key, ticket);
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(_sessions.TryGetValue(key, out AuthenticationTicket? ticket) ? ticket : null);

    public Task RemoveAsync(string key)
    {
        _sessions.Remove(key);
        return Task.CompletedTask;
    }

    public void Dispose() => _sessions.Dispose();

    private void Keep(string key, AuthenticationTicket ticket)
    {
        var options = new MemoryCacheEntryOptions();
        if (ticket.Properties.ExpiresUtc is { } expires)
        {
            options.SetAbsoluteExpiration(expires);
        }

        _sessions.Set(key, ticket, options);
    }
}

/// <summary>The cookie scheme keeps its tickets in <see cref="ServerSideSessions"/>.</summary>
internal static class ServerSideSessionsExtensions
{
    public static IServiceCollection AddServerSideSessions(this IServiceCollection services)
    {
        services.AddSingleton<ServerSideSessions>();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<ServerSideSessions>((cookie, sessions) => cookie.SessionStore = sessions);
        return services;
    }
}
