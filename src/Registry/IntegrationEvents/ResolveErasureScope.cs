using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>
/// An erasure in the registry (DESIGN §3, amended): finds the subject, tells everyone which registers hold them, and
/// erases them in every register of the Registry's database in the same transaction, each register by its own policy
/// (<see cref="RegisterErasureStep"/>, a step of its own in the trace). One event answers both: the scope carries every
/// erased register's outcome, so RightsRequests records scope and answers in one transaction, not two that wait on each
/// other's lock of the request. Requests arriving together are one transaction. A register whose step fails
/// is left out and sent to its own queue (<see cref="ApplyErasureInRegister"/>), where it is retried and, failing
/// still, parked in the error queue, while the others' effects commit here once.
/// </summary>
public sealed partial class ResolveErasureScope(
    RegistryContext db, IEventOutbox outbox, RegisterErasureStep step, TimeProvider clock, ILogger<ResolveErasureScope> logger)
    : IdempotentBatchConsumer<ErasureRequested, RegistryContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;
    private List<RegisterName> _registers = [];
    // The subjects each message of this transaction erased, by message id; a message not here was a duplicate.
    private readonly Dictionary<Guid, Guid[]> _subjectsErased = [];

    public static string QueueOf(string register) => $"registry-erasure-{register}";

    protected override async Task BeforeMessagesAsync(IReadOnlyList<ConsumeContext<ErasureRequested>> messages, CancellationToken cancellationToken)
    {
        _subjectsErased.Clear();
        _registers = await RegisterNames.InNoticeOrderAsync(Db, cancellationToken);
    }

    protected override async Task HandleAsync(ConsumeContext<ErasureRequested> context, CancellationToken cancellationToken)
    {
        var request = context.Message;
        var subjectIds = await SubjectLookup.Matching(Db.Subjects, request.Subject).Select(s => s.Id).ToArrayAsync(cancellationToken);
        // Every record of the subject, in every register, in one query; an earlier request of the batch about the same
        // subject may have erased some in the change tracker.
        var records = (await Db.Records.WhereKeyIn(r => r.SubjectId, subjectIds).ToListAsync(cancellationToken))
            .Where(r => Db.Entry(r).State != EntityState.Deleted)
            .ToLookup(r => r.Register);
        var held = _registers.Where(r => records.Contains(r.Register)).ToList();

        // Legal holds placed by people keep what they cover; read shared-locked, so a lifting waits for this commit.
        var holds = held.Count == 0 ? [] : await LegalHoldsInForce.CoveringAsync(Db, subjectIds, [.. held.Select(r => r.Register)], cancellationToken);
        var now = Clock.GetUtcNow();
        var outcomes = new List<RegisterErasureOutcome>(held.Count);
        foreach (var register in held)
        {
            List<RegisterRecord> registerRecords = [.. records[register.Register]];
            ErasurePlan plan;
            try
            {
                plan = ErasurePolicy.Plan(register.Register, registerRecords, holds);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // The register's own policy failed before changing anything: its queue retries it on its own.
                LogRegisterDeferred(_logger, failure, register.Register, request.RequestId);
                outbox.Send(QueueOf(register.Register), new EraseSubjectInRegister(request.RequestId, subjectIds, register.Register));
                continue;
            }

            outcomes.Add(await step.EraseAsync(request.RequestId, register, subjectIds, registerRecords, plan, now, cancellationToken));
        }

        outbox.Add(new ErasureScopeResolved(
            request.RequestId,
            subjectIds,
            held,
            [.. _registers.Where(r => !records.Contains(r.Register))],
            outcomes));

        _subjectsErased[context.MessageId!.Value] = subjectIds;
    }

    /// <summary>
    /// After the batch committed: subjects now held nowhere lose their identifiers, in one DELETE committed on its own
    /// (SubjectErasure), so it never waits for a register's transaction. A crash between the commit and this step is
    /// made good by the redelivery, which the inbox drops, so a duplicate's subjects are found again here.
    /// </summary>
    protected override async Task AfterCommitAsync(IReadOnlyList<ConsumeContext<ErasureRequested>> messages, CancellationToken cancellationToken)
    {
        var subjectIds = new HashSet<Guid>();
        foreach (var message in messages)
        {
            subjectIds.UnionWith(_subjectsErased.TryGetValue(message.MessageId!.Value, out var erased)
                ? erased
                : await SubjectLookup.Matching(Db.Subjects, message.Message.Subject).Select(s => s.Id).ToListAsync(cancellationToken));
        }

        await SubjectErasure.RemoveSubjectsNoLongerHeldAsync(Db, [.. subjectIds], cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erasure in register {Register} failed for request {RequestId}; sent to its own queue to be retried")]
    private static partial void LogRegisterDeferred(ILogger logger, Exception exception, string register, Guid requestId);
}
