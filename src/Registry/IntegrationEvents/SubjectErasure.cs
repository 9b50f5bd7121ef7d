namespace Procexon.Registry.IntegrationEvents;

public static class SubjectErasure
{
    /// <summary>
    /// Locks the subjects' rows, in id order, for the rest of the transaction: for work that must see a subject's
    /// records whole (a merge, a right exercised in a register) while no other transaction removes the subject.
    /// </summary>
    public static async Task<IReadOnlyList<Subject>> LockSubjectsAsync(RegistryContext db, Guid[] subjectIds, CancellationToken cancellationToken) =>
        await db.Subjects.FromSql($"SELECT * FROM subjects WHERE id = ANY({subjectIds}) ORDER BY id FOR UPDATE").ToListAsync(cancellationToken);

    /// <summary>
    /// Holds the subjects' rows against removal and merging, but not against each other, for the rest of the
    /// transaction (<c>FOR KEY SHARE</c>): a right exercised in ten registers at once runs in all ten side by side,
    /// while a merge or the removal of the subject (<c>FOR UPDATE</c>) waits until each has committed.
    /// </summary>
    public static async Task<IReadOnlyList<Subject>> ShareLockSubjectsAsync(RegistryContext db, Guid[] subjectIds, CancellationToken cancellationToken) =>
        await db.Subjects.FromSql($"SELECT * FROM subjects WHERE id = ANY({subjectIds}) ORDER BY id FOR KEY SHARE").ToListAsync(cancellationToken);

    /// <summary>
    /// A subject with no record left in any register is no longer held at all: its identifiers go as well. Call it as
    /// the handler's last step: it saves the handler's own changes first, then locks the subjects' rows and deletes
    /// those without records. Transactions removing the same subject take turns only for these two statements and the
    /// commit, and under READ COMMITTED the DELETE after the lock sees every transaction that committed before, so the
    /// last one to finish always sees no records left. A subject already removed is simply not there.
    /// </summary>
    public static async Task<int> RemoveSubjectsLeftWithoutRecordsAsync(RegistryContext db, Guid[] subjectIds, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"SELECT id FROM subjects WHERE id = ANY({subjectIds}) ORDER BY id FOR UPDATE", cancellationToken);
        return await DeleteSubjectsWithoutRecordsAsync(db, subjectIds, cancellationToken);
    }

    /// <summary>
    /// The same removal as one statement committed on its own, for a handler to run AFTER its own changes committed.
    /// The registers of one subject then never wait for each other's transactions: whichever register commits last
    /// runs this after every other register's commit, so it sees no records left. The DELETE locks only the rows it
    /// removes, so a subject some register keeps data of is not touched; it waits for a merge or a right being
    /// exercised on the subject, and a record moved or added meanwhile either keeps the subject or makes the DELETE
    /// fail on the restricting foreign key, which MassTransit retries. Idempotent: a subject already removed, or still
    /// holding records, is left as it is.
    /// </summary>
    public static async Task<int> RemoveSubjectsNoLongerHeldAsync(RegistryContext db, Guid[] subjectIds, CancellationToken cancellationToken)
    {
        if (subjectIds.Length == 0)
        {
            return 0;
        }

        return await DeleteSubjectsWithoutRecordsAsync(db, [.. subjectIds.Distinct()], cancellationToken);
    }

    // By key (KeyedRows): one subject by equality, which PostgreSQL plans once per connection.
    private static Task<int> DeleteSubjectsWithoutRecordsAsync(RegistryContext db, Guid[] subjectIds, CancellationToken cancellationToken) =>
        db.Subjects.WhereKeyIn(s => s.Id, subjectIds)
            .Where(s => !db.Records.Any(r => r.SubjectId == s.Id))
            .ExecuteDeleteAsync(cancellationToken);
}
