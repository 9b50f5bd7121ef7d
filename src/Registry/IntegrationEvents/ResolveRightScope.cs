using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.Registry.IntegrationEvents;

/// <summary>
/// First step of every right other than erasure: finds the subject (the same lookup as erasure), tells RightsRequests
/// and DisclosureLog which registers the right concerns, and sends one command to each of those registers' own
/// queues (<c>registry-rights-{register}</c>). A rectification of the subject's identifiers is applied here, once,
/// because the identifiers live on the subject, not in a register.
/// </summary>
public sealed partial class ResolveRightScope(RegistryContext db, IEventOutbox outbox, TimeProvider clock, ILogger<ResolveRightScope> logger)
    : IdempotentConsumer<SubjectRightRequested, RegistryContext>(db, clock, logger)
{
    private readonly ILogger _logger = logger;

    public static string QueueOf(string register) => $"registry-rights-{register}";

    protected override async Task HandleAsync(ConsumeContext<SubjectRightRequested> context, CancellationToken cancellationToken)
    {
        var request = context.Message;
        var subjects = await SubjectLookup.Matching(Db.Subjects, request.Subject).ToListAsync(cancellationToken);
        var subjectIds = subjects.Select(s => s.Id).ToList();
        var records = await Db.Records.AsNoTracking()
            .Where(r => subjectIds.Contains(r.SubjectId))
            .Select(r => new { r.Register, r.Category })
            .ToListAsync(cancellationToken);
        var registers = await RegisterNames.InNoticeOrderAsync(Db, cancellationToken);
        var held = records.Select(r => r.Register).ToHashSet(StringComparer.Ordinal);

        var concerned = request.Right switch
        {
            // Direct marketing stops even for someone we do not hold: the suppression entry keeps them out from now on.
            SubjectRights.ObjectionToDirectMarketing => ["marketing"],
            // An upheld objection restricts what rests on legitimate interest, nothing else.
            SubjectRights.ObjectionUpheld => records
                .Where(r => CategoryLegalBases.Of(r.Register, r.Category) == LegalBases.LegitimateInterest)
                .Select(r => r.Register).ToHashSet(StringComparer.Ordinal),
            _ => held,
        };

        if (request.Right == SubjectRights.Rectification)
        {
            await RectifyIdentifiersAsync(subjects, request.Corrections, cancellationToken);
        }

        IReadOnlyList<HeldIdentifiers> identifiers = request.Right is SubjectRights.Access or SubjectRights.Portability
            ? [.. subjects.Select(s => new HeldIdentifiers(s.Id, s.Name, s.Email, s.Phone, s.Hetu, s.BusinessId, s.CustomerNumber))]
            : [];
        outbox.Add(new SubjectRightScopeResolved(
            request.RequestId,
            request.Right,
            subjectIds,
            [.. registers.Where(r => concerned.Contains(r.Register))],
            [.. registers.Where(r => !held.Contains(r.Register) && !concerned.Contains(r.Register))],
            identifiers,
            request.Right == SubjectRights.Rectification ? request.Corrections : [],
            Clock.GetUtcNow()));
        foreach (var register in registers.Where(r => concerned.Contains(r.Register)))
        {
            outbox.Send(QueueOf(register.Register), new ExerciseRightInRegister(
                request.RequestId, request.Right, subjectIds, request.Subject, register.Register, request.Corrections));
        }

        LogResolved(_logger, request.RequestId, request.Right, concerned.Count);
    }

    /// <summary>
    /// The name, e-mail and phone on the subject row. An e-mail that already names another subject is left as it is:
    /// one address, one person.
    /// </summary>
    private async Task RectifyIdentifiersAsync(List<Subject> subjects, IReadOnlyList<FieldCorrection> corrections, CancellationToken cancellationToken)
    {
        var ids = subjects.Select(s => s.Id).ToList();
        foreach (var correction in corrections)
        {
            switch (correction.Field)
            {
                case "name":
                    subjects.ForEach(s => s.Name = correction.Value);
                    break;
                case "phone":
                    subjects.ForEach(s => s.Phone = correction.Value);
                    break;
                case "email" when subjects.Count == 1:
                    var taken = await SubjectLookup.Matching(Db.Subjects, new SubjectKeys(Email: correction.Value))
                        .AnyAsync(s => !ids.Contains(s.Id), cancellationToken);
                    if (!taken)
                    {
                        subjects[0].Email = correction.Value;
                    }

                    break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rights request {RequestId} ({Right}): {Registers} registers concerned")]
    private static partial void LogResolved(ILogger logger, Guid requestId, string right, int registers);
}
