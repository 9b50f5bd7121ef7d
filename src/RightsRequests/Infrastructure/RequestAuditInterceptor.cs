using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Procexon.RightsRequests.Infrastructure;

/// <summary>
/// Stores every tracked request's audit entries in the save that stores its change, so the trail and the change
/// commit or fail together — whichever code made the change (an API handler, a consumer, the sweep).
/// </summary>
public sealed class RequestAuditInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        AddAuditEntries(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        AddAuditEntries(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void AddAuditEntries(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        context.ChangeTracker.DetectChanges();
        var now = clock.GetUtcNow();
        var entries = new List<RequestAuditEntry>();
        foreach (var tracked in context.ChangeTracker.Entries<RightsRequest>().ToList())
        {
            var request = tracked.Entity;
            switch (tracked.State)
            {
                case EntityState.Added:
                    entries.AddRange(request.TakeAuditEntries(statusBefore: null, dueBefore: null, now));
                    break;
                case EntityState.Modified or EntityState.Unchanged:
                    entries.AddRange(request.TakeAuditEntries(Original(tracked, r => r.Status), Original(tracked, r => r.DueOn), now));
                    break;
                default:
                    break;
            }
        }

        if (entries.Count > 0)
        {
            context.Set<RequestAuditEntry>().AddRange(entries);
        }
    }

    private static T Original<T>(EntityEntry<RightsRequest> tracked, System.Linq.Expressions.Expression<Func<RightsRequest, T>> property) =>
        tracked.Property(property).OriginalValue;
}
