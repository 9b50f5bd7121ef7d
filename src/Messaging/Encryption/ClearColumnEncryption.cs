using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Procexon.Messaging.Encryption;

/// <summary>A column whose values move, encrypted, into another: <paramref name="Read"/> turns a stored value into the clear text (default: it is the text).</summary>
public sealed record ColumnToEncrypt(string From, string To, Func<object, string>? Read = null);

/// <summary>
/// The body of an <see cref="IKeyedDataUpgrade{TContext}"/> that encrypts values a table held in clear (or in a format of
/// old): a batch of rows per transaction, in id order, each row's old columns emptied as its new ones are written, so a
/// start that dies halfway goes on where it stopped and the migration after finds the old columns empty.
/// </summary>
public static class ClearColumnEncryption
{
    private const int BatchSize = 1000;

    /// <summary>Encrypts every value of <paramref name="columns"/> in <paramref name="table"/> (keyed by a uuid <c>id</c>); returns the rows changed.</summary>
    public static async Task<int> EncryptAsync(DbContext db, ColumnEncryption encryption, string table, IReadOnlyList<ColumnToEncrypt> columns,
        CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var changed = 0;
            var after = Guid.Empty;
            while (true)
            {
                var batch = await EncryptBatchAsync(connection, encryption, table, columns, after, cancellationToken);
                if (batch.Count == 0)
                {
                    return changed;
                }

                changed += batch.Count;
                after = batch.Last;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<(int Count, Guid Last)> EncryptBatchAsync(NpgsqlConnection connection, ColumnEncryption encryption, string table,
        IReadOnlyList<ColumnToEncrypt> columns, Guid after, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<(Guid Id, object?[] Values)>();
        await using (var read = new NpgsqlCommand(
            $"SELECT id, {string.Join(", ", columns.Select(c => c.From))} FROM {table} "
            + $"WHERE id > @after AND ({string.Join(" OR ", columns.Select(c => $"{c.From} IS NOT NULL"))}) ORDER BY id LIMIT {BatchSize} FOR UPDATE",
            connection, transaction))
        {
            read.Parameters.AddWithValue("after", after);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetGuid(0), [.. columns.Select((_, i) => reader.IsDBNull(i + 1) ? null : reader.GetValue(i + 1))]));
            }
        }

        if (rows.Count == 0)
        {
            return (0, after);
        }

        // Only the old columns that held a value are replaced, so a new value already written is never overwritten with nothing.
        var sets = string.Join(", ", columns.Select((c, i) => $"{c.To} = COALESCE(@v{i}, {c.To}), {c.From} = NULL"));
        await using (var update = new NpgsqlBatch(connection, transaction))
        {
            foreach (var (id, values) in rows)
            {
                var command = new NpgsqlBatchCommand($"UPDATE {table} SET {sets} WHERE id = @id");
                command.Parameters.AddWithValue("id", id);
                for (var i = 0; i < columns.Count; i++)
                {
                    var clear = values[i] is { } stored ? columns[i].Read?.Invoke(stored) ?? (string)stored : null;
                    command.Parameters.Add(new NpgsqlParameter($"v{i}", NpgsqlDbType.Bytea)
                    {
                        Value = clear is null ? DBNull.Value : encryption.Encrypt(table, columns[i].To, clear),
                    });
                }

                update.BatchCommands.Add(command);
            }

            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (rows.Count, rows[^1].Id);
    }
}
