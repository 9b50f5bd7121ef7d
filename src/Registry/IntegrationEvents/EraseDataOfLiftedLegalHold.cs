using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>
/// A legal hold was lifted: the records an erasure kept only under it are erased now, unless another hold in force
/// covers them too (they move to that hold). Records a statute keeps never carry a hold (the policy keeps them under
/// the statute), so they stay until their own period ends. Tells Retention what went (<see cref="HeldDataErased"/>).
/// </summary>
public sealed partial class EraseDataOfLiftedLegalHold(
    RegistryContext db, IEventOutbox outbox, TimeProvider clock, ILogger<EraseDataOfLiftedLegalHold> logger)
    : IdempotentConsumer<LegalHoldLifted, RegistryContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ConsumeContext<LegalHoldLifted> context, CancellationToken cancellationToken)
    {
        var lifted = context.Message;
        // Locked for the transaction: an erasure keeping records under this hold (FOR SHARE) has committed, or waits and
        // then sees the hold lifted.
        var hold = await Db.Set<LegalHoldInForce>()
            .FromSql($"SELECT * FROM legal_holds WHERE hold_id = {lifted.HoldId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        if (hold is { LiftedAt: not null })
        {
            // Lifted already (the same lifting published again): its records went then.
            return;
        }

        var now = Clock.GetUtcNow();
        if (hold is null)
        {
            // The lifting overtook the placement: remembered as lifted, so the placement, when it comes, keeps nothing.
            Db.Set<LegalHoldInForce>().Add(new LegalHoldInForce
            {
                HoldId = lifted.HoldId,
                SubjectId = lifted.SubjectId,
                Register = lifted.Register,
                Basis = lifted.Basis,
                PlacedAt = lifted.LiftedAt.ToUniversalTime(),
                LiftedAt = lifted.LiftedAt.ToUniversalTime(),
            });
        }
        else
        {
            hold.LiftedAt = lifted.LiftedAt.ToUniversalTime();
        }

        var kept = await Db.Records.Where(r => r.LegalHoldId == lifted.HoldId).ToListAsync(cancellationToken);
        var subjectIds = kept.Select(r => r.SubjectId).Distinct().ToArray();
        var registers = kept.Select(r => r.Register).Distinct().ToArray();
        var others = (await LegalHoldsInForce.CoveringAsync(Db, subjectIds, registers, cancellationToken))
            .Where(h => h.HoldId != lifted.HoldId)
            .ToList();
        var stillHeld = 0;
        foreach (var record in kept)
        {
            if (LegalHoldsInForce.Of(others, record.SubjectId, record.Register) is { } other)
            {
                record.LegalHoldId = other.HoldId;
                stillHeld++;
            }
            else
            {
                Db.Records.Remove(record);
            }
        }

        outbox.Add(new HeldDataErased(lifted.HoldId, lifted.SubjectId, kept.Count - stillHeld, stillHeld, now));
        LogErased(logger, lifted.HoldId, kept.Count - stillHeld, stillHeld);
        // A subject left without any record is no longer held at all (as after an erasure).
        await SubjectErasure.RemoveSubjectsLeftWithoutRecordsAsync(Db, subjectIds, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Legal hold {HoldId} lifted: {RecordsErased} records erased, {RecordsStillHeld} kept by another hold")]
    private static partial void LogErased(ILogger logger, Guid holdId, int recordsErased, int recordsStillHeld);
}
