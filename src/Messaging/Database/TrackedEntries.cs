using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Procexon.Messaging.Database;

/// <summary>
/// The entries of one entity type as the change tracker holds them, for <c>SaveChanges</c> interceptors.
/// <c>ChangeTracker.Entries&lt;T&gt;()</c> first detects changes in every tracked entity, and <c>SaveChanges</c> does so
/// again right after its interceptors: a consumer's batch of requests with their fan-out rows was scanned once per
/// interceptor more than needed (docs/performance.md, seventeenth round). An entry's state is what its last detection
/// or an Add/Remove left; an interceptor that needs an entity's own changes detects them on that entry alone.
/// </summary>
public static class TrackedEntries
{
    public static List<EntityEntry<TEntity>> EntriesAsTracked<TEntity>(this ChangeTracker tracker)
        where TEntity : class
    {
        var detecting = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return [.. tracker.Entries<TEntity>()];
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detecting;
        }
    }
}
