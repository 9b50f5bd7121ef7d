using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>
/// Erases subjects in one register on that register's own queue: for a register whose erasure failed in the common
/// transaction of <see cref="ResolveErasureScope"/> (so it is retried, then parked in the error queue, without holding
/// back the others), and for commands sent to a register directly. The register's policy is the same
/// <see cref="RegisterErasureStep"/>; it answers in an <see cref="ErasureCompleted"/> of its own. Drained in batches;
/// subjects left without any record lose their identifiers in a short step after the commit.
/// </summary>
public sealed class ApplyErasureInRegister(
    RegistryContext db, IEventOutbox outbox, RegisterErasureStep step, TimeProvider clock, ILogger<ApplyErasureInRegister> logger)
    : IdempotentBatchConsumer<EraseSubjectInRegister, RegistryContext>(db, clock, logger)
{
    private ILookup<(Guid SubjectId, string Register), RegisterRecord> _records = Array.Empty<RegisterRecord>().ToLookup(r => (r.SubjectId, r.Register));
    private Dictionary<string, RegisterName> _registers = [];
    private List<LegalHoldInForce> _holds = [];

    /// <summary>Reads what the whole batch needs in three queries: every record of its subjects in its registers, those registers, and the legal holds on them.</summary>
    protected override async Task BeforeMessagesAsync(IReadOnlyList<ConsumeContext<EraseSubjectInRegister>> messages, CancellationToken cancellationToken)
    {
        var subjectIds = messages.SelectMany(m => m.Message.SubjectIds).Distinct().ToArray();
        var registers = messages.Select(m => m.Message.Register).Distinct().ToArray();
        var records = await Db.Records.Where(r => subjectIds.Contains(r.SubjectId) && registers.Contains(r.Register)).ToListAsync(cancellationToken);
        _records = records.ToLookup(r => (r.SubjectId, r.Register));
        _registers = await RegisterNames.OfAsync(Db, registers, cancellationToken);
        _holds = await LegalHoldsInForce.CoveringAsync(Db, subjectIds, registers, cancellationToken);
    }

    protected override async Task HandleAsync(ConsumeContext<EraseSubjectInRegister> context, CancellationToken cancellationToken)
    {
        var command = context.Message;
        var subjectIds = command.SubjectIds.Distinct().ToArray();
        // Records an earlier message of this batch erased are deleted in the change tracker only: not this one's to count.
        var records = subjectIds
            .SelectMany(id => _records[(id, command.Register)])
            .Where(r => Db.Entry(r).State != EntityState.Deleted)
            .ToList();
        var plan = ErasurePolicy.Plan(command.Register, records, _holds);
        var outcome = await step.EraseAsync(command.RequestId, _registers[command.Register], subjectIds, records, plan, Clock.GetUtcNow(), cancellationToken);
        outbox.Add(new ErasureCompleted(command.RequestId, [outcome]));
    }

    /// <summary>
    /// After the batch committed, duplicates included: subjects now held nowhere lose their identifiers, in one DELETE
    /// committed on its own (SubjectErasure). A crash between the commit and this step is made good by the redelivery
    /// of the batch's messages.
    /// </summary>
    protected override async Task AfterCommitAsync(IReadOnlyList<ConsumeContext<EraseSubjectInRegister>> messages, CancellationToken cancellationToken) =>
        await SubjectErasure.RemoveSubjectsNoLongerHeldAsync(Db, [.. messages.SelectMany(m => m.Message.SubjectIds)], cancellationToken);
}
