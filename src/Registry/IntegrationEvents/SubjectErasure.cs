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
    /// A subject with no record left in any register is no longer held at all: its identifiers go as well. Call it as
    /// the handler's last step: it saves the handler's own changes first, then locks the subjects' rows and deletes
    /// those without records. Registers erasing the same subject in parallel take turns only for these two statements
    /// and the commit, and under READ COMMITTED the DELETE after the lock sees every register that committed before,
    /// so the last register to finish always sees no records left. A subject already removed is simply not there.
    /// </summary>
    public static async Task<int> RemoveSubjectsLeftWithoutRecordsAsync(RegistryContext db, Guid[] subjectIds, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"SELECT id FROM subjects WHERE id = ANY({subjectIds}) ORDER BY id FOR UPDATE", cancellationToken);
        return await db.Database.ExecuteSqlAsync(
            $"DELETE FROM subjects s WHERE s.id = ANY({subjectIds}) AND NOT EXISTS (SELECT 1 FROM records r WHERE r.subject_id = s.id)",
            cancellationToken);
    }
}
