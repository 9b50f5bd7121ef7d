using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Procexon.Messaging;

namespace Procexon.Identity.Infrastructure;

/// <summary>
/// Keeps one signing key current: at start (after migration, as a seeder) and then every
/// <c>Identity:SigningKeyCheckInterval</c> it creates a key when none signs now, drops keys past their grace period,
/// and loads the rest into the <see cref="SigningKeyRing"/>. Keys are never regenerated at start: they live, encrypted,
/// in the database, so every instance and every restart signs with the same key.
/// </summary>
public sealed partial class SigningKeyRotation(
    IServiceScopeFactory scopes,
    SigningKeyRing ring,
    KeyEncryption encryption,
    TimeProvider clock,
    IOptions<IdentityProviderOptions> options,
    ILogger<SigningKeyRotation> logger) : BackgroundService, IDatabaseSeeder<IdentityContext>
{
    // Any constant: instances starting together take turns, so only one of them creates the next key.
    private const long RotationLock = 0x5052_4F43_4B45_5953;

    public Task SeedAsync(IdentityContext db, CancellationToken cancellationToken) => RotateAsync(db, cancellationToken);

    public async Task RotateAsync(IdentityContext db, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.SigningKeyGracePeriod <= settings.LongestTokenLifetime)
        {
            throw new InvalidOperationException("Identity:SigningKeyGracePeriod must be longer than any token's lifetime.");
        }

        var keys = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RotationLock})", cancellationToken);
            var now = clock.GetUtcNow();
            var kept = await db.SigningKeys.Where(k => k.Expires > now).ToListAsync(cancellationToken);
            var dropped = await db.SigningKeys.Where(k => k.Expires <= now).ExecuteDeleteAsync(cancellationToken);
            if (dropped > 0)
            {
                LogDropped(logger, dropped);
            }

            if (!kept.Any(k => k.SignsAt(now)))
            {
                var created = Create(now, settings);
                db.SigningKeys.Add(created);
                await db.SaveChangesAsync(cancellationToken);
                kept.Add(created);
                LogCreated(logger, created.Id, created.SigningEnds);
            }

            await transaction.CommitAsync(cancellationToken);
            return kept
                .OrderByDescending(k => k.SignsAt(now))
                .ThenByDescending(k => k.NotBefore)
                .ToList();
        });

        ring.Replace([.. keys.Select(Load)]);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SigningKeyCheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await RotateAsync(scope.ServiceProvider.GetRequiredService<IdentityContext>(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The keys in the ring still sign; the next tick tries again.
                LogRotationFailed(logger, e);
            }
        }
    }

    private SigningKey Create(DateTimeOffset now, IdentityProviderOptions settings)
    {
        using var rsa = RSA.Create(2048);
        var id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        return new SigningKey
        {
            Id = id,
            Created = now,
            NotBefore = now,
            SigningEnds = now + settings.SigningKeyLifetime,
            Expires = now + settings.SigningKeyLifetime + settings.SigningKeyGracePeriod,
            ProtectedPrivateKey = encryption.Protect(rsa.ExportPkcs8PrivateKey(), id),
        };
    }

    private RsaSecurityKey Load(SigningKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(encryption.Unprotect(key.ProtectedPrivateKey, key.Id), out _);
        return new RsaSecurityKey(rsa) { KeyId = key.Id };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created signing key {KeyId}, signing until {SigningEnds:O}")]
    private static partial void LogCreated(ILogger logger, string keyId, DateTimeOffset signingEnds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Count} signing keys past their grace period")]
    private static partial void LogDropped(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Signing key rotation failed")]
    private static partial void LogRotationFailed(ILogger logger, Exception exception);
}
