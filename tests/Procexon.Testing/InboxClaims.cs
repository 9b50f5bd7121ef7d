using Microsoft.EntityFrameworkCore;

namespace Procexon.Testing;

/// <summary>What a test sees of a service's inbox claims in PostgreSQL.</summary>
public static class InboxClaims
{
    /// <summary>
    /// Claims that lock rows before they insert (the inbox claim with rows to lock) and are waiting on a lock now, in the
    /// context's database: a test holding such a row sees the claim wait for it.
    /// </summary>
    public static Task<int> WaitingOnALockAsync(DbContext db) => db.Database.SqlQuery<int>($"""
        SELECT count(*)::int AS "Value" FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%INSERT INTO inbox_messages%'
        """).SingleAsync();
}
