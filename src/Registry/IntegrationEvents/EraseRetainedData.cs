using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>Erases data that was kept under law once Retention says its period has ended.</summary>
public sealed class EraseRetainedData(RegistryContext db, IEventOutbox outbox, TimeProvider clock, ILogger<EraseRetainedData> logger)
    : IdempotentConsumer<RetentionPeriodEnded, RegistryContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RetentionPeriodEnded> context, CancellationToken cancellationToken)
    {
        var ended = context.Message;
        var kept = Db.Records.Where(r => r.SubjectId == ended.SubjectId && r.Register == ended.Register
            && r.RetentionRule == ended.RetentionRule && r.State != RecordState.Active);
        // Exactly the hold's own records: another category kept under the same rule until the same day has a hold of
        // its own, which reports its own count.
        var records = await (ended.Category is { } category
                ? kept.Where(r => r.Category == category && r.RetainUntil == ended.RetainUntil)
                : kept.Where(r => r.RetainUntil <= ended.RetainUntil))
            .ToListAsync(cancellationToken);
        Db.Records.RemoveRange(records);
        outbox.Add(new RetainedDataErased(ended.HoldId, ended.SubjectId, ended.Register, ended.RetentionRule, records.Count, Clock.GetUtcNow()));
        await SubjectErasure.RemoveSubjectsLeftWithoutRecordsAsync(Db, [ended.SubjectId], cancellationToken);
    }
}
