using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Procexon.Messaging.Inbox;

/// <summary>
/// The one statement that claims messages in the inbox, for <see cref="IdempotentConsumer{TMessage,TContext}"/> and
/// <see cref="IdempotentBatchConsumer{TMessage,TContext}"/> alike: an inbox row per message id, returning the ids whose
/// row was new; a concurrent delivery of one of the ids waits on its primary key. With rows to lock, they are locked
/// (<c>FOR UPDATE</c>) before the first row is inserted, in the same round trip: table after table in the order of their
/// names, each table's rows in id order, so that claims about the same rows cannot deadlock.
/// </summary>
internal static class InboxClaim
{
    public static FormattableString Statement(string consumer, DateTimeOffset now, Guid[] messageIds, IReadOnlyList<LockedRows> rowsToLock)
    {
        if (rowsToLock.Count == 0)
        {
            return $"""
                INSERT INTO inbox_messages (message_id, consumer, processed_at)
                SELECT id, {consumer}, {now} FROM unnest({messageIds}) AS claimed(id)
                ON CONFLICT DO NOTHING
                RETURNING message_id AS "Value"
                """;
        }

        var tables = rowsToLock
            .GroupBy(r => r.Table, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Table: g.Key, Ids: g.SelectMany(r => r.Ids).Distinct().ToArray()))
            .ToList();
        var arguments = new List<object?> { consumer, now, messageIds };
        var sql = new StringBuilder("WITH ");
        for (var i = 0; i < tables.Count; i++)
        {
            // A table's rows are locked only once the previous table's are: the previous lock's count is a one-time
            // filter, which PostgreSQL evaluates before it scans.
            var afterPrevious = i == 0 ? "" : $" AND (SELECT count(*) FROM locked{i - 1}) >= 0";
            // One row by equality, several by an array (an array parameter is planned anew at every call: docs/performance.md, twenty-third round).
            var match = tables[i].Ids.Length == 1 ? $"= {{{arguments.Count}}}" : $"= ANY({{{arguments.Count}}})";
            sql.Append(CultureInfo.InvariantCulture,
                $"{(i == 0 ? "" : ",\n     ")}locked{i} AS (SELECT id FROM {tables[i].Table} WHERE id {match}{afterPrevious} ORDER BY id FOR UPDATE)");
            arguments.Add(tables[i].Ids.Length == 1 ? tables[i].Ids[0] : tables[i].Ids);
        }

        // The last lock is read (to the end: an aggregate) before the first row is inserted, and it waits for the others.
        sql.Append(CultureInfo.InvariantCulture, $$"""

            INSERT INTO inbox_messages (message_id, consumer, processed_at)
            SELECT claimed.id, {0}, {1} FROM unnest({2}) AS claimed(id) CROSS JOIN (SELECT count(*) FROM locked{{tables.Count - 1}}) AS lock_taken
            ON CONFLICT DO NOTHING
            RETURNING message_id AS "Value"
            """);
        return FormattableStringFactory.Create(sql.ToString(), [.. arguments]);
    }
}

/// <summary>
/// Rows a consumer's transaction locks in the statement that claims its messages (<see cref="InboxClaim"/>): <c>Table</c>
/// is a table of the consumer's own with a <c>uuid</c> primary key named <c>id</c>; unknown ids lock nothing.
/// </summary>
public readonly record struct LockedRows(string Table, Guid[] Ids);
