using System.Diagnostics;
using Procexon.Messaging.Database;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>
/// One register's part of an erasure, decided by that register's own policy (DESIGN §6): its records erased, restricted
/// under law or put beyond use, the subject's addresses kept on the suppression list where the register says so, the
/// register's erasure recorded, and its outcome answered; what a legal hold placed by a person covers is kept under it. Shared by the erasure of every register in the Registry's
/// database in one transaction and by the erasure of one register on its own queue, so the two cannot decide differently.
/// Each register is a step of its own in the erasure's trace.
/// </summary>
public sealed class RegisterErasureStep(RegistryContext db, SuppressionKeys suppression)
{
    private static readonly ActivitySource s_activitySource = new("Procexon.Registry");

    /// <summary>
    /// Applies <paramref name="plan"/> (the register's policy, <see cref="ErasurePolicy.Plan"/>, for
    /// <paramref name="records"/>: the subjects' records in that register, none already deleted in this transaction) in
    /// the change tracker, and answers the outcome to publish. Saves nothing. The plan is made by the caller, before
    /// anything changes, so that a policy that fails leaves nothing half-applied.
    /// </summary>
    public async Task<RegisterErasureOutcome> EraseAsync(
        Guid requestId, RegisterName register, IReadOnlyList<Guid> subjectIds, IReadOnlyList<RegisterRecord> records, ErasurePlan plan,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var activity = s_activitySource.StartActivity($"erase in register {register.Register}");
        activity?.SetTag("procexon.register", register.Register);

        foreach (var decision in plan.Decisions)
        {
            if (decision.Fate == RecordFate.Erase)
            {
                db.Records.Remove(decision.Record);
                continue;
            }

            if (decision.Fate == RecordFate.LegalHold)
            {
                // Restricted until the hold is lifted, when the record goes (EraseDataOfLiftedLegalHold).
                decision.Record.State = RecordState.Restricted;
                decision.Record.LegalHoldId = decision.Hold!.HoldId;
                decision.Record.ErasureRequestId = requestId;
                continue;
            }

            decision.Record.State = decision.Fate == RecordFate.Retain ? RecordState.Restricted : RecordState.BeyondUse;
            decision.Record.RetentionRule = decision.RetentionRule;
            decision.Record.RetainUntil = decision.Until;
            decision.Record.ErasureRequestId = requestId;
        }

        if (plan.KeepSuppressionEntry)
        {
            // Read without a lock: only the removal of the subject after the commit locks the subject's row.
            var subjects = await db.Subjects.AsNoTracking().Where(s => subjectIds.Contains(s.Id)).ToListAsync(cancellationToken);
            await SuppressAsync(subjects, now, cancellationToken);
        }

        var retained = plan.Decisions
            .Where(d => d.Fate is RecordFate.Retain or RecordFate.BeyondUse)
            .GroupBy(d => (d.Record.SubjectId, d.Record.Category, Rule: d.RetentionRule!, Until: d.Until!.Value))
            .Select(g => new RetainedData(g.Key.SubjectId, g.Key.Category, g.Key.Rule, g.First().Statute!, g.Key.Until, g.Count()))
            .ToList();
        var held = plan.Decisions
            .Where(d => d.Fate == RecordFate.LegalHold)
            .GroupBy(d => (d.Record.SubjectId, d.Record.Category, d.Hold!.HoldId, d.Hold.Basis))
            .Select(g => new HeldData(g.Key.SubjectId, g.Key.Category, g.Key.HoldId, g.Key.Basis, g.Count()))
            .ToList();
        db.Erasures.Add(new RegisterErasure
        {
            RequestId = requestId,
            Register = register.Register,
            Outcome = plan.Outcome,
            RecordsErased = plan.Erased,
            RecordsRetained = records.Count - plan.Erased,
            CompletedAt = now,
        });
        RegistryMetrics.RegisterErasures.Add(1, new KeyValuePair<string, object?>("register", register.Register), new KeyValuePair<string, object?>("outcome", plan.Outcome));
        activity?.SetTag("procexon.erasure.outcome", plan.Outcome);
        return new RegisterErasureOutcome(requestId, register.Register, register.Name, plan.Outcome, plan.Erased, retained, plan.Note, now, held);
    }

    private async Task SuppressAsync(IReadOnlyList<Subject> subjects, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entries = subjects.SelectMany(s => suppression.For(s.Email, s.Phone)).Distinct().ToList();
        var hashes = entries.Select(e => e.Hash).ToList();
        // Already stored, or added earlier in this transaction for another subject or register with the same address.
        var existing = (await db.SuppressionEntries.Where(e => hashes.Contains(e.KeyHash)).Select(e => e.KeyHash).ToListAsync(cancellationToken))
            .Concat(AddedSuppressionEntries())
            .ToHashSet();
        foreach (var (kind, hash) in entries.Where(e => !existing.Contains(e.Hash)))
        {
            db.SuppressionEntries.Add(new SuppressionEntry { KeyHash = hash, Kind = kind, CreatedAt = now });
        }
    }

    /// <summary>
    /// The entries added earlier in this transaction. Read without detecting changes: an added entry is tracked from
    /// <c>Add</c>, and detecting would compare every record the batch has tracked, once per register that suppresses.
    /// </summary>
    private List<string> AddedSuppressionEntries() =>
        // What DbSet.Local holds: every tracked entry but a deleted one.
        [.. db.ChangeTracker.EntriesAsTracked<SuppressionEntry>().Where(e => e.State != EntityState.Deleted).Select(e => e.Entity.KeyHash)];
}
