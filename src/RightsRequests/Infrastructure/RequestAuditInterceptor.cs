using Microsoft.EntityFrameworkCore.Diagnostics;
using Procexon.Messaging.Database;

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

        // A request's entries come from the request itself; its state only tells an added request from a tracked one
        // (modified, or not yet detected as such: alike here). So no change detection: SaveChanges runs its own right after.
        var now = clock.GetUtcNow();
        var entries = new List<RequestAuditEntry>();
        foreach (var tracked in context.ChangeTracker.EntriesAsTracked<RightsRequest>())
        {
            var request = tracked.Entity;
            switch (tracked.State)
            {
                case EntityState.Added:
                    entries.AddRange(request.TakeAuditEntries(statusBefore: null, dueBefore: null, now));
                    break;
                case EntityState.Modified or EntityState.Unchanged:
                    entries.AddRange(request.TakeAuditEntries(
                        tracked.OriginalValues.GetValue<RequestStatus>(nameof(RightsRequest.Status)),
                        tracked.OriginalValues.GetValue<DateOnly>(nameof(RightsRequest.DueOn)),
                        now));
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
}
