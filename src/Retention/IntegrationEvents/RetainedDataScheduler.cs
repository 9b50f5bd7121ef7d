using MassTransit;
using Procexon.Messaging.Database;
using Procexon.Messaging.Inbox;

namespace Procexon.Retention.IntegrationEvents;

/// <summary>
/// Registers' answers carried by the erasure's scope (every register the Registry erased in the transaction that
/// resolved it): their retained data becomes legal holds.
/// </summary>
public sealed class ScheduleErasureOfRetainedDataInScope(RetentionContext db, TimeProvider clock, ILogger<ScheduleErasureOfRetainedDataInScope> logger)
    : RetainedDataScheduler<ErasureScopeResolved>(db, clock, logger)
{
    protected override IReadOnlyList<RegisterErasureOutcome> AnswersOf(ErasureScopeResolved message) => message.Answered ?? [];
}

/// <summary>The answer of a register retried on its own queue: its retained data becomes legal holds.</summary>
public sealed class ScheduleErasureOfRetainedData(RetentionContext db, TimeProvider clock, ILogger<ScheduleErasureOfRetainedData> logger)
    : RetainedDataScheduler<ErasureCompleted>(db, clock, logger)
{
    protected override IReadOnlyList<RegisterErasureOutcome> AnswersOf(ErasureCompleted message) => message.Registers;
}

/// <summary>
/// DESIGN §3 step 4: every piece of data a register kept under law after an erasure request becomes a legal hold,
/// scheduled for erasure the day after its retention period ends. Consumed in batches (one transaction for many answers).
/// </summary>
public abstract partial class RetainedDataScheduler<TMessage>(RetentionContext db, TimeProvider clock, ILogger logger)
    : IdempotentBatchConsumer<TMessage, RetentionContext>(db, clock, logger)
    where TMessage : class
{
    private readonly ILogger _logger = logger;

    /// <summary>
    /// Nobody waits on a hold being scheduled (its retention runs for years, and the erasure's answer comes from the
    /// registers), so the answers gather for a second and share a transaction: at 20 erasures a second about twenty to a
    /// commit instead of one.
    /// </summary>
    protected sealed override TimeSpan GatherFor => TimeSpan.FromSeconds(1);

    /// <summary>The registers' answers the message carries.</summary>
    protected abstract IReadOnlyList<RegisterErasureOutcome> AnswersOf(TMessage message);

    /// <summary>The holds of the batch's requests: those scheduled before it and those it adds.</summary>
    private HashSet<HoldKey> _scheduled = [];

    /// <summary>
    /// The keys of the holds already scheduled for the batch's requests, read in one query (not tracked: only their keys
    /// matter), to which the holds this batch adds are joined: the inbox drops a redelivery, and this also covers the
    /// same answer published again under a new id, earlier or in this very batch. A set, not the change tracker's
    /// <c>Local</c> view, which detects changes across every tracked hold each time it is read (once per register).
    /// </summary>
    protected sealed override async Task BeforeMessagesAsync(IReadOnlyList<ConsumeContext<TMessage>> messages, CancellationToken cancellationToken)
    {
        var requestIds = messages.SelectMany(m => AnswersOf(m.Message)).Where(r => r.Retained.Count > 0).Select(r => r.RequestId).Distinct().ToArray();
        _scheduled = requestIds.Length == 0
            ? []
            : (await Db.LegalHolds.AsNoTracking().WhereKeyIn(h => h.RequestId, requestIds)
                .Select(h => new { h.RequestId, h.Register, h.SubjectId, h.RetentionRule, h.Category, h.RetainUntil })
                .ToListAsync(cancellationToken))
                .Select(h => new HoldKey(h.RequestId, h.Register, h.SubjectId, h.RetentionRule, h.Category, h.RetainUntil))
                .ToHashSet();
    }

    protected sealed override Task HandleAsync(ConsumeContext<TMessage> context, CancellationToken cancellationToken)
    {
        var (holds, registers, requestId) = (0, 0, Guid.Empty);
        foreach (var answer in AnswersOf(context.Message).Where(r => r.Retained.Count > 0))
        {
            var scheduled = Schedule(answer);
            (holds, registers, requestId) = (holds + scheduled, registers + (scheduled > 0 ? 1 : 0), answer.RequestId);
        }

        // One line per request, not per register: a log line per message is a measurable share of this consumer's CPU
        // (docs/performance.md, seventh round), and the holds themselves are listed by the API.
        if (holds > 0)
        {
            LogScheduled(_logger, requestId, holds, registers);
        }

        return Task.CompletedTask;
    }

    /// <returns>How many holds were added.</returns>
    private int Schedule(RegisterErasureOutcome answer)
    {
        var now = Clock.GetUtcNow();
        var scheduled = 0;
        // Items a register split needlessly (same data, same rule, same day) are one hold of all their records.
        foreach (var item in answer.Retained.GroupBy(r => new HoldKey(answer.RequestId, answer.Register, r.SubjectId, r.RetentionRule, r.Category, r.RetainUntil)))
        {
            if (!_scheduled.Add(item.Key))
            {
                continue;
            }

            var first = item.First();
            Db.LegalHolds.Add(new LegalHold
            {
                Id = Guid.CreateVersion7(now),
                SubjectId = first.SubjectId,
                Register = answer.Register,
                RetentionRule = first.RetentionRule,
                Category = first.Category,
                StatuteFi = first.Statute.Fi,
                StatuteEn = first.Statute.En,
                RetainUntil = first.RetainUntil,
                RequestId = answer.RequestId,
                Records = item.Sum(r => r.Records),
                CreatedAt = now,
            });
            scheduled++;
        }

        return scheduled;
    }

    private sealed record HoldKey(Guid RequestId, string Register, Guid SubjectId, string RetentionRule, string Category, DateOnly RetainUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erasure request {RequestId}: {Count} legal holds scheduled in {Registers} registers")]
    private static partial void LogScheduled(ILogger logger, Guid requestId, int count, int registers);
}
