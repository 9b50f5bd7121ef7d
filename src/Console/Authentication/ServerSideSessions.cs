using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Procexon.Console.Infrastructure;
using Procexon.Messaging;
using Procexon.Messaging.Encryption;

namespace Procexon.Console.Authentication;

/// <summary>
/// The signed-in sessions, tokens included, kept in the console's database (<see cref="StoredSession"/>): the browser's
/// cookie carries only a random key to one of them. Every replica reads the same sessions, so a restart or a request
/// that reaches the other replica keeps the user signed in (docs/console.md).
/// </summary>
public sealed partial class ServerSideSessions(
    IServiceScopeFactory scopes, SessionEncryption encryption, TimeProvider clock, ILogger<ServerSideSessions> logger) : ITicketStore
{
    /// <summary>The claim that names a session's key, so an interactive page can find its user's tokens.</summary>
    public const string SessionClaim = "procexon_console_session";

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        if (ticket.Principal.Identity is ClaimsIdentity identity)
        {
            identity.AddClaim(new Claim(SessionClaim, key));
        }

        await KeepAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => KeepAsync(key, ticket);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var id = IdOf(key);
        await using var scope = scopes.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ConsoleContext>().Sessions.AsNoTracking()
            .Where(s => s.Id == id)
            .Select(s => new { s.Ticket, s.ExpiresAt })
            .FirstOrDefaultAsync();
        if (stored is null || stored.ExpiresAt <= clock.GetUtcNow())
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(encryption.Sessions.Open(stored.Ticket, Encoding.UTF8.GetBytes(id), "signed-in session"));
        }
        catch (CryptographicException)
        {
            // Sealed under a secret no longer configured: the user signs in again, as after an expiry.
            LogUnreadable(logger);
            return null;
        }
    }

    public async Task RemoveAsync(string key)
    {
        var id = IdOf(key);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ConsoleContext>().Sessions.Where(s => s.Id == id).ExecuteDeleteAsync();
    }

    /// <summary>Deletes the sessions past their expiry, which no cookie can open any more.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConsoleContext>().Sessions
            .Where(s => s.ExpiresAt <= now)
            .ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The stored id of a cookie's key: its SHA-256, so the table names no live cookie.</summary>
    public static string IdOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private async Task KeepAsync(string key, AuthenticationTicket ticket)
    {
        var id = IdOf(key);
        var sealedTicket = encryption.Sessions.Seal(TicketSerializer.Default.Serialize(ticket), Encoding.UTF8.GetBytes(id));
        var expiresAt = ticket.Properties.ExpiresUtc;
        await using var scope = scopes.CreateAsyncScope();
        // One statement whether the session is new or renewed; the last renewal wins, as it did in memory.
        await scope.ServiceProvider.GetRequiredService<ConsoleContext>().Database.ExecuteSqlAsync($"""
            INSERT INTO sessions (id, ticket, expires_at) VALUES ({id}, {sealedTicket}, {expiresAt})
            ON CONFLICT (id) DO UPDATE SET ticket = excluded.ticket, expires_at = excluded.expires_at
            """);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A stored session is sealed under a key no longer configured; its user signs in again")]
    private static partial void LogUnreadable(ILogger logger);
}

/// <summary>Deletes expired sessions once an hour; replicas may all run it, a delete of what is already expired being harmless twice.</summary>
public sealed partial class ExpiredSessionPurge(ServerSideSessions sessions, TimeProvider clock, ILogger<ExpiredSessionPurge> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                if (await sessions.PurgeExpiredAsync(stoppingToken) is > 0 and var purged)
                {
                    LogPurged(logger, purged);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be down for a moment: the next round deletes what this one left.
                LogPurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired console sessions")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete expired console sessions; trying again in an hour")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}

/// <summary>
/// The console's database (sessions and key ring, migrated by its own step like every service's) and the cookie
/// scheme keeping its tickets there.
/// </summary>
public static class ServerSideSessionsExtensions
{
    public static IHostApplicationBuilder AddServerSideSessions(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ConsoleContext>("consoledb");
        builder.Services.AddSingleton<SessionEncryption>();
        builder.Services.AddSealedKeyRing<ConsoleContext>("procexon-console", services => services.GetRequiredService<SessionEncryption>().KeyRing);
        builder.Services.AddSingleton<ServerSideSessions>();
        builder.Services.AddHostedService<ExpiredSessionPurge>();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<ServerSideSessions>((cookie, sessions) => cookie.SessionStore = sessions);
        return builder;
    }
}
