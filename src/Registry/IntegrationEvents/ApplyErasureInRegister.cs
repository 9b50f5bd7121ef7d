using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>
/// Erases one subject in one register, as that register's rules say (DESIGN §6), and answers with the outcome:
/// erased, retained under law (restricted, with the statute and the date it may go), retained under a legal hold placed
/// by a person (restricted until the hold is lifted), beyond use, or not held.
/// A register's queue is drained in batches: many subjects erased in one transaction, so under load a register commits
/// once per batch instead of once per subject. Subjects left without any record lose their identifiers in a short
/// step after the commit, so the ten registers of a subject never wait for each other's transactions.
/// </summary>
public sealed class ApplyErasureInRegister(
    RegistryContext db, IEventOutbox outbox, SuppressionKeys suppression, TimeProvider clock, ILogger<ApplyErasureInRegister> logger)
    : IdempotentBatchConsumer<EraseSubjectInRegister, RegistryContext>(db, clock, logger)
{
    private ILookup<(Guid SubjectId, string Register), RegisterRecord> _records = Array.Empty<RegisterRecord>().ToLookup(r => (r.SubjectId, r.Register));
    private Dictionary<string, Register> _registers = [];
    private List<LegalHoldInForce> _holds = [];

    /// <summary>
    /// Reads what the whole batch needs in two queries — every record of its subjects in its registers, and those
    /// registers — instead of two per message: under load each round trip waits its turn for the CPU.
    /// </summary>
    protected override async Task BeforeMessagesAsync(IReadOnlyList<ConsumeContext<EraseSubjectInRegister>> messages, CancellationToken cancellationToken)
    {
        var subjectIds = messages.SelectMany(m => m.Message.SubjectIds).Distinct().ToArray();
        var registers = messages.Select(m => m.Message.Register).Distinct().ToArray();
        var records = await Db.Records.Where(r => subjectIds.Contains(r.SubjectId) && registers.Contains(r.Register)).ToListAsync(cancellationToken);
        _records = records.ToLookup(r => (r.SubjectId, r.Register));
        _registers = await Db.Registers.AsNoTracking().Where(r => registers.Contains(r.Slug)).ToDictionaryAsync(r => r.Slug, cancellationToken);
        _holds = await LegalHoldsInForce.CoveringAsync(Db, subjectIds, registers, cancellationToken);
    }

    protected override async Task HandleAsync(ConsumeContext<EraseSubjectInRegister> context, CancellationToken cancellationToken)
    {
        var command = context.Message;
        var subjectIds = command.SubjectIds.ToArray();
        // Records an earlier message of this batch erased are deleted in the change tracker only: not this one's to count.
        var records = subjectIds.Distinct()
            .SelectMany(id => _records[(id, command.Register)])
            .Where(r => Db.Entry(r).State != EntityState.Deleted)
            .ToList();
        var register = _registers[command.Register];
        var plan = ErasurePolicy.Plan(command.Register, records, _holds);
        var now = Clock.GetUtcNow();

        foreach (var decision in plan.Decisions)
        {
            if (decision.Fate == RecordFate.Erase)
            {
                Db.Records.Remove(decision.Record);
                continue;
            }

            if (decision.Fate == RecordFate.LegalHold)
            {
                // Restricted until the hold is lifted, when the record goes (EraseDataOfLiftedLegalHold).
                decision.Record.State = RecordState.Restricted;
                decision.Record.LegalHoldId = decision.Hold!.HoldId;
                decision.Record.ErasureRequestId = command.RequestId;
                continue;
            }

            decision.Record.State = decision.Fate == RecordFate.Retain ? RecordState.Restricted : RecordState.BeyondUse;
            decision.Record.RetentionRule = decision.RetentionRule;
            decision.Record.RetainUntil = decision.Until;
            decision.Record.ErasureRequestId = command.RequestId;
        }

        if (plan.KeepSuppressionEntry)
        {
            // Read without a lock: the ten registers of one subject erase side by side; only the removal after the
            // commit locks the subject's row.
            var subjects = await Db.Subjects.AsNoTracking().Where(s => subjectIds.Contains(s.Id)).ToListAsync(cancellationToken);
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
        Db.Erasures.Add(new RegisterErasure
        {
            RequestId = command.RequestId,
            Register = command.Register,
            Outcome = plan.Outcome,
            RecordsErased = plan.Erased,
            RecordsRetained = records.Count - plan.Erased,
            CompletedAt = now,
        });
        outbox.Add(new RegisterErasureCompleted(
            command.RequestId, command.Register, register.Description.Name, plan.Outcome, plan.Erased, retained, plan.Note, now, held));
        RegistryMetrics.RegisterErasures.Add(1, new KeyValuePair<string, object?>("register", command.Register), new KeyValuePair<string, object?>("outcome", plan.Outcome));
    }

    /// <summary>
    /// After the batch committed, duplicates included: subjects now held nowhere lose their identifiers, in one DELETE
    /// committed on its own (SubjectErasure). Inside the batch, this step's lock made the registers of the same
    /// subjects take turns for whole batches (docs/performance.md). A crash between the commit and this step is made
    /// good by the redelivery of the batch's messages.
    /// </summary>
    protected override async Task AfterCommitAsync(IReadOnlyList<ConsumeContext<EraseSubjectInRegister>> messages, CancellationToken cancellationToken) =>
        await SubjectErasure.RemoveSubjectsNoLongerHeldAsync(Db, [.. messages.SelectMany(m => m.Message.SubjectIds)], cancellationToken);

    private async Task SuppressAsync(IReadOnlyList<Subject> subjects, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entries = subjects.SelectMany(s => suppression.For(s.Email, s.Phone)).Distinct().ToList();
        var hashes = entries.Select(e => e.Hash).ToList();
        // Already stored, or added earlier in this batch for another subject with the same address.
        var existing = (await Db.SuppressionEntries.Where(e => hashes.Contains(e.KeyHash)).Select(e => e.KeyHash).ToListAsync(cancellationToken))
            .Concat(Db.SuppressionEntries.Local.Select(e => e.KeyHash))
            .ToHashSet();
        foreach (var (kind, hash) in entries.Where(e => !existing.Contains(e.Hash)))
        {
            Db.SuppressionEntries.Add(new SuppressionEntry { KeyHash = hash, Kind = kind, CreatedAt = now });
        }
    }
}
