using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>
/// First step of an erasure in the registry: finds the subject, tells everyone which registers hold them, and sends
/// one command to each of those registers' own queues, so a slow register holds up no other.
/// </summary>
public sealed class ResolveErasureScope(RegistryContext db, IEventOutbox outbox, TimeProvider clock, ILogger<ResolveErasureScope> logger)
    : IdempotentConsumer<ErasureRequested, RegistryContext>(db, clock, logger)
{
    public static string QueueOf(string register) => $"registry-erasure-{register}";

    protected override async Task HandleAsync(ConsumeContext<ErasureRequested> context, CancellationToken cancellationToken)
    {
        var request = context.Message;
        var subjectIds = await SubjectLookup.Matching(Db.Subjects, request.Subject).Select(s => s.Id).ToListAsync(cancellationToken);
        var held = await Db.Records.Where(r => subjectIds.Contains(r.SubjectId)).Select(r => r.Register).Distinct().ToListAsync(cancellationToken);
        var registers = await Db.Registers.AsNoTracking().OrderBy(r => r.Position).ToListAsync(cancellationToken);

        outbox.Add(new ErasureScopeResolved(
            request.RequestId,
            subjectIds,
            [.. registers.Where(r => held.Contains(r.Slug)).Select(r => new RegisterName(r.Slug, r.Description.Name))],
            [.. registers.Where(r => !held.Contains(r.Slug)).Select(r => new RegisterName(r.Slug, r.Description.Name))]));
        foreach (var register in registers.Where(r => held.Contains(r.Slug)))
        {
            outbox.Send(QueueOf(register.Slug), new EraseSubjectInRegister(request.RequestId, subjectIds, register.Slug));
        }
    }
}
