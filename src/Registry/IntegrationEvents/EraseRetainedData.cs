using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>
/// Erases data that was kept under law once Retention says its period has ended, unless a legal hold placed by a
/// person covers it: then the hold keeps it.
/// </summary>
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
        // The statute lets the data go, but a legal hold a person placed may still need it (Art 17(3)(e)): it stays,
        // restricted, under that hold, and goes when the hold is lifted (EraseDataOfLiftedLegalHold).
        var holds = await LegalHoldsInForce.CoveringAsync(Db, [ended.SubjectId], [ended.Register], cancellationToken);
        if (LegalHoldsInForce.Of(holds, ended.SubjectId, ended.Register) is { } hold)
        {
            foreach (var record in records)
            {
                record.State = RecordState.Restricted;
                record.RetentionRule = null;
                record.RetainUntil = null;
                record.LegalHoldId = hold.HoldId;
            }

            outbox.Add(new RetainedDataErased(
                ended.HoldId, ended.SubjectId, ended.Register, ended.RetentionRule, 0, Clock.GetUtcNow(), RecordsKeptUnderLegalHold: records.Count));
            return;
        }

        Db.Records.RemoveRange(records);
        outbox.Add(new RetainedDataErased(ended.HoldId, ended.SubjectId, ended.Register, ended.RetentionRule, records.Count, Clock.GetUtcNow()));
        await SubjectErasure.RemoveSubjectsLeftWithoutRecordsAsync(Db, [ended.SubjectId], cancellationToken);
    }
}
