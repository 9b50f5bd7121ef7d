using System.Runtime.CompilerServices;

namespace Procexon.Messaging.Inbox;

/// <summary>
/// The one statement that claims messages in the inbox, for <see cref="IdempotentConsumer{TMessage,TContext}"/> and
/// <see cref="IdempotentBatchConsumer{TMessage,TContext}"/> alike: an inbox row per message id, returning the ids whose
/// row was new; a concurrent delivery of one of the ids waits on its primary key. With rows to lock, they are locked
/// (<c>FOR UPDATE</c>, in id order, so that claims about the same rows cannot deadlock) before the first row is inserted,
/// in the same round trip.
/// </summary>
internal static class InboxClaim
{
    public static FormattableString Statement(string consumer, DateTimeOffset now, Guid[] messageIds, (string Table, Guid[] Ids)? rowsToLock) =>
        rowsToLock is { } rows
            // The locking CTE is read (to the end: an aggregate) before the first row is inserted.
            ? FormattableStringFactory.Create($$"""
                WITH locked AS (SELECT id FROM {{rows.Table}} WHERE id = ANY({3}) ORDER BY id FOR UPDATE)
                INSERT INTO inbox_messages (message_id, consumer, processed_at)
                SELECT claimed.id, {0}, {1} FROM unnest({2}) AS claimed(id) CROSS JOIN (SELECT count(*) FROM locked) AS lock_taken
                ON CONFLICT DO NOTHING
                RETURNING message_id AS "Value"
                """, consumer, now, messageIds, rows.Ids)
            : $"""
                INSERT INTO inbox_messages (message_id, consumer, processed_at)
                SELECT id, {consumer}, {now} FROM unnest({messageIds}) AS claimed(id)
                ON CONFLICT DO NOTHING
                RETURNING message_id AS "Value"
                """;
}
