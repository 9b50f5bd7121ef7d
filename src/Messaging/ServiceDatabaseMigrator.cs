using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Procexon.Messaging;

/// <summary>Fills a service's database with its reference data (catalogue, rules, recipients) after migration.</summary>
public interface IDatabaseSeeder<in TContext> where TContext : DbContext
{
    Task SeedAsync(TContext db, CancellationToken cancellationToken);
}

/// <summary>
/// A change of existing rows that needs the service's keys, which SQL in a migration does not have (encrypting values
/// that were stored in clear, say). It runs at start while <see cref="BeforeMigration"/> is pending: after every
/// migration before that one, before it, so the migration that drops what it read finds it done. A start that dies
/// halfway runs it again, so it must be idempotent.
/// </summary>
public interface IKeyedDataUpgrade<in TContext> where TContext : DbContext
{
    /// <summary>The full id of the migration that must find this upgrade done, e.g. <c>20261204090000_DropClearIdentifiers</c>.</summary>
    string BeforeMigration { get; }

    /// <summary>Runs on a context connected as the schema's owner; its model is the newest, so the upgrade speaks SQL.</summary>
    Task UpgradeAsync(TContext db, CancellationToken cancellationToken);
}

/// <summary>
/// How a service's schema is migrated: as the role that owns it, when the AppHost gives one
/// (<c>ConnectionStrings:{name}-owner</c>), else on the service's own connection (a test on a superuser's). Under the
/// AppHost a separate step migrates (<c>Database:MigrateAndExit</c>, the only process holding the owner's password)
/// and the service itself only checks that nothing is pending (<c>Database:MigratedBySeparateStep</c>).
/// </summary>
public sealed record ServiceDatabaseMigration<TContext>(string? OwnerConnectionString, Action<DbContextOptionsBuilder>? Configure, bool MigratedBySeparateStep = false)
    where TContext : DbContext;

/// <summary>A service's database migration run on its own, by a process that then exits (<see cref="Microsoft.AspNetCore.Builder.DatabaseMigrationSteps"/>).</summary>
public interface IDatabaseMigrationStep
{
    Task MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Creates and migrates the service's database, then seeds it, before the web server starts listening: a service
/// that answers has a current schema. The <c>database</c> health check says whether that step has finished. The
/// migration runs as the schema's owner; the seeding, like everything after, as the service's runtime role, which may
/// only read and write rows.
/// </summary>
public sealed partial class ServiceDatabaseMigrator<TContext>(
    IServiceScopeFactory scopes,
    ServiceDatabaseMigration<TContext> migration,
    ILogger<ServiceDatabaseMigrator<TContext>> logger) : IHostedService, IHealthCheck, IDatabaseMigrationStep where TContext : DbContext
{
    private volatile bool _migrated;

    /// <summary>Migrates (with the keyed upgrades between migrations) and nothing else: the separate step's whole work.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        using var activity = MessagingDiagnostics.ActivitySource.StartActivity($"migrate {typeof(TContext).Name}");
        await using var scope = scopes.CreateAsyncScope();
        if (migration.OwnerConnectionString is { } owner)
        {
            var options = new DbContextOptionsBuilder<TContext>()
                .UseNpgsql(owner, npgsql => npgsql.EnableRetryOnFailure())
                .UseSnakeCaseNamingConvention();
            migration.Configure?.Invoke(options);
            await using var owned = ActivatorUtilities.CreateInstance<TContext>(scope.ServiceProvider, options.Options);
            await MigrateAsync(owned, scope.ServiceProvider, cancellationToken);
        }
        else
        {
            await MigrateAsync(scope.ServiceProvider.GetRequiredService<TContext>(), scope.ServiceProvider, cancellationToken);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (migration.MigratedBySeparateStep)
        {
            await EnsureMigratedAsync(cancellationToken);
        }
        else
        {
            await MigrateAsync(cancellationToken);
        }

        using var activity = MessagingDiagnostics.ActivitySource.StartActivity($"seed {typeof(TContext).Name}");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        // Replicas starting together seed one after another: the second finds the rows and adds nothing, where
        // without the lock both insert the same reference row and one dies on the unique key.
        await using (await SeedingLock.TakeAsync(db.Database.GetConnectionString()!, typeof(TContext).Name, cancellationToken))
        {
            foreach (var seeder in scope.ServiceProvider.GetServices<IDatabaseSeeder<TContext>>())
            {
                await seeder.SeedAsync(db, cancellationToken);
            }
        }

        _migrated = true;
        LogMigrated(logger, typeof(TContext).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The runtime role may not change the schema: it finds the schema current, or the service does not start.
    private async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pending = (await scope.ServiceProvider.GetRequiredService<TContext>().Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"{typeof(TContext).Name} has {pending.Count} pending migrations ({string.Join(", ", pending)}): the service's migration step has not run. "
                + "It runs before the service (Database:MigrateAndExit, with the schema owner's connection string).");
        }
    }

    private async Task MigrateAsync(TContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        var upgrades = services.GetServices<IKeyedDataUpgrade<TContext>>().OrderBy(u => u.BeforeMigration, StringComparer.Ordinal).ToList();
        if (upgrades.Count > 0)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            var migrator = db.GetService<IMigrator>();
            foreach (var upgrade in upgrades)
            {
                var index = pending.IndexOf(upgrade.BeforeMigration);
                if (index < 0)
                {
                    continue;
                }

                if (index > 0)
                {
                    await migrator.MigrateAsync(pending[index - 1], cancellationToken);
                }

                using var activity = MessagingDiagnostics.ActivitySource.StartActivity($"upgrade {typeof(TContext).Name} before {upgrade.BeforeMigration}");
                await upgrade.UpgradeAsync(db, cancellationToken);
                LogUpgraded(logger, typeof(TContext).Name, upgrade.GetType().Name, upgrade.BeforeMigration);
                pending = pending[index..];
            }
        }

        await db.Database.MigrateAsync(cancellationToken);
        LogMigratedOnly(logger, typeof(TContext).Name);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_migrated
            ? HealthCheckResult.Healthy("Migrated and seeded.")
            : HealthCheckResult.Unhealthy("Migration has not finished."));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Context} migrated")]
    private static partial void LogMigratedOnly(ILogger logger, string context);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Context}: {Upgrade} ran before migration {Migration}")]
    private static partial void LogUpgraded(ILogger logger, string context, string upgrade, string migration);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Context} migrated and seeded in {ElapsedMs:F0} ms")]
    private static partial void LogMigrated(ILogger logger, string context, double elapsedMs);
}

/// <summary>
/// A PostgreSQL session advisory lock on a connection of its own, outside the pool (a pooled connection would keep the
/// lock after it is returned), held while a service seeds its database and released on dispose, or when the process dies.
/// </summary>
internal sealed class SeedingLock : IAsyncDisposable
{
    private readonly Npgsql.NpgsqlConnection _connection;
    private readonly string _name;

    private SeedingLock(Npgsql.NpgsqlConnection connection, string name) => (_connection, _name) = (connection, name);

    public static async Task<SeedingLock> TakeAsync(string connectionString, string context, CancellationToken cancellationToken)
    {
        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var held = new SeedingLock(connection, $"procexon seed {context}");
        // Waits as long as the other replica seeds (the identity provider's hashing of passwords and secrets takes
        // minutes on a loaded machine): the command's default 30 s would end this replica's start instead.
        await held.ExecuteAsync("SELECT pg_advisory_lock(hashtext(@name))", cancellationToken, timeoutSeconds: 0);
        return held;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ExecuteAsync("SELECT pg_advisory_unlock(hashtext(@name))", CancellationToken.None);
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, int? timeoutSeconds = null)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, _connection);
        if (timeoutSeconds is { } seconds)
        {
            command.CommandTimeout = seconds;
        }

        command.Parameters.AddWithValue("name", _name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
