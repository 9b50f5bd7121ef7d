using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Procexon.Messaging.Inbox;

/// <summary>
/// A consumer whose effect happens at most once per message id: the inbox row, the handler's changes and any events
/// it adds to the outbox commit in one transaction. A redelivery (broker restart, crash before the ack, a duplicate
/// publish from the outbox) finds the inbox row and changes nothing. If the handler throws, nothing is committed and
/// MassTransit's retry, then the error queue, take over.
/// </summary>
public abstract partial class IdempotentConsumer<TMessage, TContext>(TContext db, TimeProvider clock, ILogger logger)
    : IConsumer<TMessage>
    where TMessage : class
    where TContext : DbContext
{
    /// <summary>The name under which this consumer records what it has handled; stable across renames of the class.</summary>
    protected virtual string ConsumerName => GetType().Name;

    protected TContext Db => db;

    /// <summary>The clock the handler should use for "now", so tests can move it.</summary>
    protected TimeProvider Clock => clock;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id; it cannot be deduplicated.");
        // The transaction's own step, as a batch consumer's is: what a trace's readers (and the cost tests) count as one run.
        using var activity = MessagingDiagnostics.ActivitySource.StartActivity($"commit {typeof(TMessage).Name}");
        var consumer = ConsumerName;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginAllOrNothingTransactionAsync(ct);
            var now = clock.GetUtcNow();
            // A concurrent delivery of the same id waits on the primary key here and then finds the row taken.
            var claim = InboxClaim.Statement(consumer, now, [messageId], RowToLock(context) is { } row ? [new LockedRows(row.Table, [row.Id])] : []);
            var claimed = (await db.Database.SqlQuery<Guid>(claim).ToListAsync(ct)).Count;
            if (claimed == 0)
            {
                OutboxMetrics.DuplicatesDropped.Add(1);
                LogDuplicate(logger, typeof(TMessage).Name, messageId, consumer);
                return;
            }

            await HandleAsync(context, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, context.CancellationToken);
    }

    /// <summary>
    /// A row to lock for the transaction (<c>FOR UPDATE</c>) in the statement that claims the message in the inbox: one
    /// round trip for both. <c>Table</c> is a table of the consumer's own with a <c>uuid</c> primary key named
    /// <c>id</c>; an unknown id locks nothing. What <see cref="HandleAsync"/> reads after the claim sees every
    /// transaction that committed before the lock was granted.
    /// </summary>
    protected virtual (string Table, Guid Id)? RowToLock(ConsumeContext<TMessage> context) => null;

    /// <summary>The consumer's effect. Change the database through <see cref="Db"/>; do not commit.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TMessage> context, CancellationToken cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "{MessageType} {MessageId} was already handled by {Consumer}; skipped")]
    private static partial void LogDuplicate(ILogger logger, string messageType, Guid messageId, string consumer);
}
