using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Procexon.Messaging.Database;

namespace Procexon.Messaging.Outbox;

/// <summary>
/// Hands the outbox rows a transaction wrote to the dispatcher once, and only once, it has committed: after
/// <c>SaveChanges</c> when it ran in its own transaction, or after the explicit transaction's commit otherwise. A rollback,
/// a failed commit or a transaction abandoned without either hands over nothing: its rows never reached the table, or
/// if a commit whose answer was lost did write them, the dispatcher's sweep finds them there.
/// </summary>
public sealed class OutboxCommitInterceptor(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>The rows written in one transaction of a context (<see cref="Transaction"/> null: <c>SaveChanges</c>'s own).</summary>
    private sealed class Written(Guid? transaction)
    {
        public Guid? Transaction { get; } = transaction;

        public List<OutboxMessage> Messages { get; } = [];
    }

    private readonly ConditionalWeakTable<DbContext, Written> _written = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Remember(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Remember(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        HandOverIfCommitted(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        HandOverIfCommitted(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        ForgetAbandoned(eventData.Context);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        ForgetAbandoned(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        HandOver(eventData.Context, eventData.TransactionId);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        HandOver(eventData.Context, eventData.TransactionId);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Remember(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var transaction = context.Database.CurrentTransaction?.TransactionId;
        if (!_written.TryGetValue(context, out var written) || written.Transaction != transaction)
        {
            // What an earlier transaction of this context wrote and never committed (disposed without a rollback, as
            // when a handler throws) must not go out with this one's.
            written = new Written(transaction);
            _written.AddOrUpdate(context, written);
        }

        // Outbox rows are Added when IEventOutbox adds them: no change detection is needed to find them.
        foreach (var entry in context.ChangeTracker.EntriesAsTracked<OutboxMessage>())
        {
            // A row the dispatcher's sweep writes back after a failed publish (Attempts > 0) stays with the sweep, which
            // retries it after its backoff.
            if (entry.State == EntityState.Added && entry.Entity.Attempts == 0)
            {
                written.Messages.Add(entry.Entity);
            }
        }

        if (written.Messages.Count == 0)
        {
            _written.Remove(context);
        }
    }

    private void HandOverIfCommitted(DbContext? context)
    {
        // Inside an explicit transaction nothing is committed until the transaction is. Under an ambient one (none is
        // used here) the commit is out of sight: its rows are left to the sweep, which reads only what committed.
        if (context is null || context.Database.CurrentTransaction is not null)
        {
            return;
        }

        if (System.Transactions.Transaction.Current is null)
        {
            HandOver(context, transaction: null);
        }
        else
        {
            Forget(context);
        }
    }

    private void HandOver(DbContext? context, Guid? transaction)
    {
        if (context is not null && _written.TryGetValue(context, out var written) && written.Transaction == transaction)
        {
            _written.Remove(context);
            signal.Committed(written.Messages);
        }
    }

    private void ForgetAbandoned(DbContext? context)
    {
        // A transaction starting: rows remembered under another transaction belong to one that ended without a commit.
        // Rows remembered under none are SaveChanges' own, whose transaction this may be.
        if (context is not null && _written.TryGetValue(context, out var written) && written.Transaction is not null)
        {
            _written.Remove(context);
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _written.Remove(context);
        }
    }
}
