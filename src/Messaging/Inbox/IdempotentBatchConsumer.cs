using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Procexon.Messaging.Inbox;

/// <summary>
/// The batch form of <see cref="IdempotentConsumer{TMessage,TContext}"/>: the messages of a batch are claimed in the
/// inbox, handled, and committed in ONE transaction with the events they add to the outbox. The batches are group
/// commits (<see cref="GroupCommit{TMessage}"/>): a message that finds no transaction of the consumer running is
/// committed at once, alone on a quiet queue; the messages that arrive while one runs are committed together in the
/// next, so a busy queue is drained tens of messages per commit instead of one (docs/performance.md). Messages already
/// in the inbox (redelivered, or twice in one batch) are dropped. If a batch's transaction fails, nothing of it is committed
/// and each of its messages is tried again in a transaction of its own, so one bad message costs the others nothing;
/// its failure goes to MassTransit's retry and then the error queue, for that message alone.
/// </summary>
public abstract partial class IdempotentBatchConsumer<TMessage, TContext>(TContext db, TimeProvider clock, ILogger logger)
    : IConsumer<TMessage>
    where TMessage : class
    where TContext : DbContext
{
    /// <summary>MassTransit's header with the W3C id of the activity that sent the message.</summary>
    private const string ActivityIdHeader = "MT-Activity-Id";

    /// <summary>The name under which this consumer records what it has handled; stable across renames of the class.</summary>
    protected virtual string ConsumerName => GetType().Name;

    protected TContext Db => db;

    /// <summary>The clock the handler should use for "now", so tests can move it.</summary>
    protected TimeProvider Clock => clock;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var cancellationToken = context.CancellationToken;
        var group = context.GetPayload<IServiceProvider>().GetRequiredService<GroupCommits>()
            .Of<TMessage>(GetType(), context.ReceiveContext.InputAddress, GatherFor);
        // A message MassTransit retries has failed in a transaction of its own already: it is retried alone again, so
        // it cannot fail a batch of others on each attempt.
        var alone = context.GetRetryAttempt() > 0;
        while (true)
        {
            var turn = await group.WaitForTurnAsync(context, alone, cancellationToken);
            switch (turn.Kind)
            {
                case GroupTurn.Committed:
                    return;
                case GroupTurn.TryAlone:
                    alone = true;
                    continue;
            }

            var messages = turn.Messages;
            try
            {
                await CommitAsync(messages, cancellationToken);
            }
            catch (Exception batchFailure) when (messages.Count > 1 && !cancellationToken.IsCancellationRequested)
            {
                // One message the handler cannot take must not hold back the rest of its batch: each is tried again in a
                // transaction of its own, and only a message that fails alone is passed on to MassTransit's retry.
                LogBatchFailed(logger, batchFailure, typeof(TMessage).Name, messages.Count);
                group.Finish(turn, committed: false);
                alone = true;
                continue;
            }
            catch
            {
                group.Finish(turn, committed: false);
                throw;
            }

            group.Finish(turn, committed: true);
            return;
        }
    }

    /// <summary>
    /// How long a message that finds no transaction of this consumer running waits for others to share its transaction
    /// (at most: a full batch starts at once). Zero, the default, for a consumer on the path someone waits on; a
    /// consumer off every such path may gather, so that at a moderate rate it commits many messages at a time instead of
    /// one, each transaction being what costs (docs/performance.md, twenty-seventh round).
    /// </summary>
    protected virtual TimeSpan GatherFor => TimeSpan.Zero;

    /// <summary>Called after each transaction of this consumer has committed, e.g. to count what it completed.</summary>
    protected virtual void Committed()
    {
    }

    private async Task CommitAsync(IReadOnlyList<ConsumeContext<TMessage>> messages, CancellationToken cancellationToken)
    {
        // The batch's own step in the leading message's trace: how many messages one commit took, and where its time went.
        using var activity = MessagingDiagnostics.ActivitySource.StartActivity($"commit {typeof(TMessage).Name} batch");
        activity?.SetTag("messaging.batch.message_count", messages.Count);
        var consumer = ConsumerName;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginAllOrNothingTransactionAsync(ct);
            var fresh = await ClaimAsync(messages, consumer, ct);
            if (fresh.Count > 0)
            {
                await BeforeMessagesAsync(fresh, ct);
                foreach (var message in fresh)
                {
                    // Each message keeps its own trace: what it writes to the outbox continues the flow it belongs to,
                    // not the trace of whichever message happened to open the batch.
                    using var activity = StartHandling(message);
                    await HandleAsync(message, ct);
                }

                await db.SaveChangesAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }, cancellationToken);
        Committed();
        await AfterCommitAsync(messages, cancellationToken);
    }

    /// <summary>
    /// Rows to lock for the transaction (<c>FOR UPDATE</c>, in one order, so that batches about the same rows cannot
    /// deadlock) in the statement that claims the batch in the inbox: one round trip for both; rows of several tables
    /// may be named (<see cref="LockedRows"/>). The lock is taken before the claim, and what
    /// <see cref="BeforeMessagesAsync"/> or the handler reads after it sees every transaction that committed before the
    /// lock was granted.
    /// </summary>
    protected virtual IReadOnlyList<LockedRows> RowsToLock(IReadOnlyList<ConsumeContext<TMessage>> batch) => [];

    /// <summary>Before the messages are handled one by one, e.g. to read everything the batch is about in one query.</summary>
    protected virtual Task BeforeMessagesAsync(IReadOnlyList<ConsumeContext<TMessage>> messages, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>One message's effect. Change the database through <see cref="Db"/>; do not commit.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TMessage> context, CancellationToken cancellationToken);

    /// <summary>
    /// After the transaction committed, for EVERY message it was given, duplicates included, e.g. a step that must see
    /// what other consumers committed meanwhile and would only make them wait if it ran inside the transaction. If the
    /// process dies before this step ran, the redelivered messages are duplicates and the step runs then, so it must
    /// be idempotent. If it throws, each message is tried again alone (the inbox drops it, and this step runs again for it).
    /// </summary>
    protected virtual Task AfterCommitAsync(IReadOnlyList<ConsumeContext<TMessage>> messages, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Inserts an inbox row per message id; returns, in batch order, the messages whose row was new.</summary>
    private async Task<List<ConsumeContext<TMessage>>> ClaimAsync(
        IReadOnlyList<ConsumeContext<TMessage>> batch, string consumer, CancellationToken cancellationToken)
    {
        var ids = new Guid[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            ids[i] = batch[i].MessageId
                ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a message id; it cannot be deduplicated.");
        }

        var now = clock.GetUtcNow();
        // One statement for the batch; a concurrent delivery of one of the ids waits on its primary key here.
        var claim = InboxClaim.Statement(consumer, now, ids, RowsToLock(batch));
        var claimed = (await db.Database.SqlQuery<Guid>(claim).ToListAsync(cancellationToken)).ToHashSet();

        var fresh = new List<ConsumeContext<TMessage>>(claimed.Count);
        foreach (var message in batch)
        {
            // Remove, not Contains: the same id twice in one batch is handled once.
            if (claimed.Remove(message.MessageId!.Value))
            {
                fresh.Add(message);
            }
            else
            {
                OutboxMetrics.DuplicatesDropped.Add(1);
                LogDuplicate(logger, typeof(TMessage).Name, message.MessageId!.Value, consumer);
            }
        }

        return fresh;
    }

    private static Activity? StartHandling(ConsumeContext<TMessage> message)
    {
        ActivityContext.TryParse(message.Headers.Get<string>(ActivityIdHeader), null, out var parent);
        var activity = MessagingDiagnostics.ActivitySource.StartActivity(
            $"handle {typeof(TMessage).Name}", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.message.id", message.MessageId);
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} {MessageType} failed; trying each message on its own")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string messageType, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{MessageType} {MessageId} was already handled by {Consumer}; skipped")]
    private static partial void LogDuplicate(ILogger logger, string messageType, Guid messageId, string consumer);
}

/// <summary>How the services configure their batch consumers.</summary>
public static class BatchConsumers
{
    /// <summary>The most messages one transaction of a batch consumer takes.</summary>
    public const int MessageLimit = 100;

    /// <summary>
    /// Adds <typeparamref name="TConsumer"/> (an <see cref="IdempotentBatchConsumer{TMessage,TContext}"/>): one group
    /// commit at a time on each of its queues (<see cref="GroupCommit{TMessage}"/>), whose queues are given enough
    /// deliveries at once to fill a batch.
    /// </summary>
    public static IConsumerRegistrationConfigurator<TConsumer> AddBatchConsumer<TConsumer>(this IBusRegistrationConfigurator bus)
        where TConsumer : class, IConsumer
    {
        bus.AddMetrics();
        bus.TryAddSingleton<GroupCommits>();
        return bus.AddConsumer<TConsumer>((_, consumer) => consumer.Options<GroupCommitCapacity>());
    }
}

/// <summary>
/// A batch consumer's deliveries at once on its queue: a message waits in its delivery for the transaction that takes it
/// and until that has committed, so the queue must hand out enough of them (what MassTransit's <c>BatchOptions</c> does
/// for its batches).
/// </summary>
public sealed class GroupCommitCapacity : MassTransit.Configuration.IOptions, IConfigureReceiveEndpoint
{
    public void Configure(string name, IReceiveEndpointConfigurator configurator)
    {
        // A full batch gathering while a full one commits: the messages of the batch in its transaction keep their deliveries.
        const int capacity = 2 * BatchConsumers.MessageLimit;
        configurator.PrefetchCount = Math.Max(capacity, configurator.PrefetchCount);
        if (configurator.ConcurrentMessageLimit is not { } limit || limit < capacity)
        {
            configurator.ConcurrentMessageLimit = capacity;
        }
    }
}
