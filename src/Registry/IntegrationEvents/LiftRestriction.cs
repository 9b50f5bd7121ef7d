using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>
/// Lifts a request's restriction in every register that has it, once the subject has been told (Art 18(3)). A record
/// goes back to normal processing only if no other restriction in force covers it; records kept under law stay as
/// their retention keeps them, and records a legal hold keeps stay restricted under it.
/// </summary>
public sealed class LiftRestriction(RegistryContext db, IEventOutbox outbox, TimeProvider clock, ILogger<LiftRestriction> logger)
    : IdempotentConsumer<RestrictionLiftingRequested, RegistryContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RestrictionLiftingRequested> context, CancellationToken cancellationToken)
    {
        var lifting = context.Message;
        var now = Clock.GetUtcNow();
        var restrictions = await Db.Set<SubjectRestriction>()
            .Where(r => r.RequestId == lifting.RequestId && r.LiftedAt == null)
            .ToListAsync(cancellationToken);
        restrictions.ForEach(r => r.LiftedAt = now);

        var recordIds = restrictions.SelectMany(r => r.RecordIds).Distinct().ToList();
        var stillCovered = await Db.Set<SubjectRestriction>().AsNoTracking()
            .Where(r => r.RequestId != lifting.RequestId && r.LiftedAt == null)
            .SelectMany(r => r.RecordIds)
            .Where(id => recordIds.Contains(id))
            .ToListAsync(cancellationToken);
        var records = await Db.Records
            .Where(r => recordIds.Contains(r.Id) && !stillCovered.Contains(r.Id) && r.State == RecordState.Restricted
                && r.RetentionRule == null && r.LegalHoldId == null)
            .ToListAsync(cancellationToken);
        records.ForEach(r => r.State = RecordState.Active);

        outbox.Add(new RestrictionLifted(
            lifting.RequestId, [.. restrictions.Select(r => r.Register).Distinct().Order(StringComparer.Ordinal)], records.Count, now));
    }
}
