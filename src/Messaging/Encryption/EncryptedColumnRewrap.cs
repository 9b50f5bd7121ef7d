using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Procexon.Messaging.Encryption;

/// <summary>
/// The second half of a key rotation: once the service has started with a new key and the old one among its previous
/// keys, every value still under a previous key is rewritten under the new one, in the background, column by column
/// as the EF model marks them (<see cref="EncryptedColumns"/>). When the log says none is left, the previous key may be
/// removed from the configuration (docs/security.md, "Keys").
/// </summary>
public sealed partial class EncryptedColumnRewrap<TContext>(IServiceScopeFactory scopes, ILogger<EncryptedColumnRewrap<TContext>> logger)
    : BackgroundService where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var encryption = db.GetService<IDbContextOptions>().FindExtension<ColumnEncryptionOptionsExtension>()?.Encryption;
            // Without a previous key nothing readable can be under another key: nothing to do, and no table is read.
            if (encryption is null || encryption.ReadableKeyIds.Count == 1)
            {
                return;
            }

            var rewritten = 0;
            foreach (var (table, key, columns) in EncryptedColumns.Tables(db.Model))
            {
                rewritten += await EncryptedColumnRewriter.RewrapAsync(db, encryption, table, key, columns, stoppingToken);
            }

            LogRewrapped(logger, typeof(TContext).Name, rewritten, encryption.KeyId, encryption.PreviousSetting);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The service keeps serving: every value stays readable under the key it was written with.
            LogFailed(logger, ex, typeof(TContext).Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Context}: {Rows} rows rewritten under key id {KeyId}; no value is left under a previous key, so {PreviousSetting} may be emptied")]
    private static partial void LogRewrapped(ILogger logger, string context, int rows, string keyId, string previousSetting);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Context}: rewriting values under the current key failed; it is tried again at the next start")]
    private static partial void LogFailed(ILogger logger, Exception exception, string context);
}
