using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>
/// A privacy officer placed a legal hold (Art 17(3)(e)): from now on an erasure of the subject keeps what the hold
/// covers. A hold already known (placed again under a new message id, or lifted before this arrived) stays as it is.
/// </summary>
public sealed partial class KeepDataUnderLegalHold(RegistryContext db, TimeProvider clock, ILogger<KeepDataUnderLegalHold> logger)
    : IdempotentConsumer<LegalHoldPlaced, RegistryContext>(db, clock, logger)
{
    protected override async Task HandleAsync(ConsumeContext<LegalHoldPlaced> context, CancellationToken cancellationToken)
    {
        var placed = context.Message;
        if (await Db.Set<LegalHoldInForce>().AnyAsync(h => h.HoldId == placed.HoldId, cancellationToken))
        {
            return;
        }

        Db.Set<LegalHoldInForce>().Add(new LegalHoldInForce
        {
            HoldId = placed.HoldId,
            SubjectId = placed.SubjectId,
            Register = placed.Register,
            Basis = placed.Basis,
            PlacedAt = placed.PlacedAt.ToUniversalTime(),
        });
        LogPlaced(logger, placed.HoldId, placed.Register ?? "every register");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Legal hold {HoldId} in force in {Register}")]
    private static partial void LogPlaced(ILogger logger, Guid holdId, string register);
}
