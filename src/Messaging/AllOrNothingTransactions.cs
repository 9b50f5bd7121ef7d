using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Procexon.Messaging;

public static class AllOrNothingTransactions
{
    /// <summary>
    /// Begins a transaction that is committed whole or retried whole, never repaired halfway. Inside a transaction EF
    /// Core wraps every SaveChanges in a savepoint (SAVEPOINT before, RELEASE after) so that a failed save could be
    /// undone alone; the consumers and the outbox dispatcher roll back and retry on any failure, so those are two round
    /// trips per transaction for nothing: 29 per erasure in the traces (docs/performance.md, fifth round).
    /// </summary>
    public static Task<IDbContextTransaction> BeginAllOrNothingTransactionAsync(this DatabaseFacade database, CancellationToken cancellationToken)
    {
        database.AutoSavepointsEnabled = false;
        return database.BeginTransactionAsync(cancellationToken);
    }
}
