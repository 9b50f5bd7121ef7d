using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.Retention.IntegrationEvents;

/// <summary>
/// DESIGN §3 step 4: every piece of data a register kept under law after an erasure request becomes a legal hold,
/// scheduled for erasure the day after its retention period ends. Consumed in batches (one transaction for many answers).
/// </summary>
public sealed partial class ScheduleErasureOfRetainedData(RetentionContext db, TimeProvider clock, ILogger<ScheduleErasureOfRetainedData> logger)
    : IdempotentBatchConsumer<ErasureCompleted, RetentionContext>(db, clock, logger)
{
    /// <summary>
    /// The holds already scheduled for the batch's requests, read in one query into the change tracker, where the holds
    /// this batch adds join them: the inbox drops a redelivery, and this also covers the same answer published again
    /// under a new id, earlier or in this very batch.
    /// </summary>
    protected override async Task BeforeMessagesAsync(IReadOnlyList<ConsumeContext<ErasureCompleted>> messages, CancellationToken cancellationToken)
    {
        var requestIds = messages.Where(m => m.Message.Registers.Any(r => r.Retained.Count > 0)).Select(m => m.Message.RequestId).Distinct().ToArray();
        if (requestIds.Length > 0)
        {
            await Db.LegalHolds.Where(h => requestIds.Contains(h.RequestId)).LoadAsync(cancellationToken);
        }
    }

    protected override Task HandleAsync(ConsumeContext<ErasureCompleted> context, CancellationToken cancellationToken)
    {
        foreach (var answer in context.Message.Registers.Where(r => r.Retained.Count > 0))
        {
            Schedule(answer);
        }

        return Task.CompletedTask;
    }

    private void Schedule(RegisterErasureOutcome answer)
    {
        var existing = Db.LegalHolds.Local
            .Where(h => h.RequestId == answer.RequestId && h.Register == answer.Register)
            .Select(h => new HoldKey(h.SubjectId, h.RetentionRule, h.Category, h.RetainUntil))
            .ToHashSet();

        var now = Clock.GetUtcNow();
        var scheduled = 0;
        // Items a register split needlessly (same data, same rule, same day) are one hold of all their records.
        foreach (var item in answer.Retained.GroupBy(r => new HoldKey(r.SubjectId, r.RetentionRule, r.Category, r.RetainUntil)))
        {
            if (existing.Contains(item.Key))
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

        LogScheduled(logger, answer.RequestId, scheduled, answer.Register);
    }

    private sealed record HoldKey(Guid SubjectId, string RetentionRule, string Category, DateOnly RetainUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erasure request {RequestId}: {Count} legal holds scheduled in {Register}")]
    private static partial void LogScheduled(ILogger logger, Guid requestId, int count, string register);
}
