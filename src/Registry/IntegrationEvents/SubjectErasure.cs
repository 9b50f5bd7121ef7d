namespace Procexon.Registry.IntegrationEvents;

internal static class SubjectErasure
{
    /// <summary>
    /// Locks the subjects' rows for this transaction. Registers erasing the same subject then take turns, so the last
    /// one sees no records left and removes the subject's identifiers too.
    /// </summary>
    public static async Task<IReadOnlyList<Subject>> LockSubjectsAsync(RegistryContext db, Guid[] subjectIds, CancellationToken cancellationToken) =>
        await db.Subjects.FromSql($"SELECT * FROM subjects WHERE id = ANY({subjectIds}) ORDER BY id FOR UPDATE").ToListAsync(cancellationToken);

    /// <summary>A subject with no record in any register is no longer held at all: its identifiers go as well.</summary>
    public static async Task RemoveSubjectsWithoutRecordsAsync(RegistryContext db, IReadOnlyList<Subject> subjects, CancellationToken cancellationToken)
    {
        var ids = subjects.Select(s => s.Id).ToList();
        var stillHeld = await db.Records.Where(r => ids.Contains(r.SubjectId)).Select(r => r.SubjectId).Distinct().ToListAsync(cancellationToken);
        db.Subjects.RemoveRange(subjects.Where(s => !stillHeld.Contains(s.Id)));
    }
}
