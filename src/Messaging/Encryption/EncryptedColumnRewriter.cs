using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Procexon.Messaging.Encryption;

/// <summary>A column whose values move, encrypted, into another: <paramref name="Read"/> turns a stored value into the clear text (default: it is the text).</summary>
public sealed record ColumnToEncrypt(string From, string To, Func<object, string>? Read = null);

/// <summary>
/// Rewrites encrypted columns row by row: a batch of rows per transaction, in key order, locked while rewritten, so a
/// process that dies halfway goes on where it stopped and a write by the service waits for the batch instead of being lost.
/// </summary>
public static class EncryptedColumnRewriter
{
    private const int BatchSize = 1000;

    /// <summary>
    /// The body of an <see cref="IKeyedDataUpgrade{TContext}"/> that encrypts values a table held in clear (or in a
    /// format of old): each row's old columns are emptied as its new ones are written, so the migration after finds them
    /// empty. <paramref name="key"/> is the table's primary key (default <c>id</c>). Returns the rows changed.
    /// </summary>
    public static Task<int> EncryptClearAsync(DbContext db, ColumnEncryption encryption, string table, IReadOnlyList<ColumnToEncrypt> columns,
        CancellationToken cancellationToken, IReadOnlyList<string>? key = null) => RewriteAsync(db, table, key ?? ["id"],
        filter: string.Join(" OR ", columns.Select(c => $"{c.From} IS NOT NULL")),
        read: [.. columns.Select(c => c.From)],
        // Only the old columns that held a value are replaced, so a new value already written is never overwritten with nothing.
        set: string.Join(", ", columns.Select((c, i) => $"{c.To} = COALESCE(@v{i}, {c.To}), {c.From} = NULL")),
        rewrite: (i, stored) => encryption.Encrypt(table, columns[i].To, columns[i].Read?.Invoke(stored) ?? (string)stored),
        cancellationToken: cancellationToken);

    /// <summary>Rewrites under the current key every value of <paramref name="columns"/> written under a previous one; returns the rows changed.</summary>
    public static Task<int> RewrapAsync(DbContext db, ColumnEncryption encryption, string table, IReadOnlyList<string> key, IReadOnlyList<string> columns,
        CancellationToken cancellationToken) => RewriteAsync(db, table, key,
        progress: rows => EncryptionMetrics.Rewritten.Add(rows, new KeyValuePair<string, object?>("table", table)),
        // The key id is bytes 2–5 of every value (ColumnEncryption's format): found without decrypting anything.
        // Shorter than a header: not a value this format wrote (an emptied legacy value), left alone.
        filter: string.Join(" OR ", columns.Select(c => $"({c} IS NOT NULL AND octet_length({c}) >= {ColumnEncryption.HeaderLength} AND substring({c} from 2 for 4) <> '\\x{encryption.KeyId}'::bytea)")),
        read: columns,
        set: string.Join(", ", columns.Select((c, i) => $"{c} = COALESCE(@v{i}, {c})")),
        rewrite: (i, stored) => encryption.IsCurrent((byte[])stored) || ((byte[])stored).Length < ColumnEncryption.HeaderLength ? null
            : encryption.Seal(encryption.Open((byte[])stored, ColumnEncryption.Place(table, columns[i]), $"{table}.{columns[i]}"), ColumnEncryption.Place(table, columns[i])),
        cancellationToken: cancellationToken);

    private static async Task<int> RewriteAsync(DbContext db, string table, IReadOnlyList<string> key, string filter, IReadOnlyList<string> read, string set,
        Func<int, object, byte[]?> rewrite, CancellationToken cancellationToken, Action<int>? progress = null)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var changed = 0;
            var keys = string.Join(", ", key);
            var byKey = string.Join(" AND ", key.Select((k, i) => $"{k} = @k{i}"));
            object[]? after = null;
            while (true)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var rows = new List<(object[] Key, object?[] Values)>();
                await using (var select = new NpgsqlCommand(
                    $"SELECT {keys}, {string.Join(", ", read)} FROM {table} WHERE ({filter})"
                    + (after is null ? "" : $" AND ({keys}) > ({string.Join(", ", key.Select((_, i) => $"@a{i}"))})")
                    + $" ORDER BY {keys} LIMIT {BatchSize} FOR UPDATE", connection, transaction))
                {
                    for (var i = 0; after is not null && i < after.Length; i++)
                    {
                        select.Parameters.AddWithValue($"a{i}", after[i]);
                    }

                    await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        rows.Add(([.. key.Select((_, i) => reader.GetValue(i))],
                            [.. read.Select((_, i) => reader.IsDBNull(key.Count + i) ? null : reader.GetValue(key.Count + i))]));
                    }
                }

                if (rows.Count == 0)
                {
                    return changed;
                }

                await using (var update = new NpgsqlBatch(connection, transaction))
                {
                    foreach (var (rowKey, values) in rows)
                    {
                        var command = new NpgsqlBatchCommand($"UPDATE {table} SET {set} WHERE {byKey}");
                        for (var i = 0; i < rowKey.Length; i++)
                        {
                            command.Parameters.AddWithValue($"k{i}", rowKey[i]);
                        }

                        for (var i = 0; i < read.Count; i++)
                        {
                            command.Parameters.Add(new NpgsqlParameter($"v{i}", NpgsqlDbType.Bytea)
                            {
                                Value = values[i] is { } stored && rewrite(i, stored) is { } written ? written : DBNull.Value,
                            });
                        }

                        update.BatchCommands.Add(command);
                    }

                    await update.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                progress?.Invoke(rows.Count);
                changed += rows.Count;
                after = rows[^1].Key;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>What operators watch while a rotation's rewrap runs: rows rewritten under the current key, per table.</summary>
internal static class EncryptionMetrics
{
    private static readonly System.Diagnostics.Metrics.Meter s_meter = new(MessagingDiagnostics.Name);

    public static readonly System.Diagnostics.Metrics.Counter<long> Rewritten = s_meter.CreateCounter<long>(
        "procexon.encryption.rows_rewrapped", unit: "{row}", description: "Rows whose encrypted values a key rotation's rewrap rewrote under the current key.");
}
