namespace Procexon.Contracts;

/// <summary>
/// Which service publishes and which consumes each integration event. The AppHost gives each service's broker user
/// rights on exactly these event exchanges (write on what it publishes, read on what it consumes), a service's outbox
/// refuses to publish anything else, and each service's tests compare its consumers with this list, so the three
/// cannot drift apart. Commands sent to a queue (a register's, a recipient's) are not here: the broker holds those to
/// the sender's own queues.
/// </summary>
public static class IntegrationEventRoutes
{
    public sealed record Routes(IReadOnlyList<Type> Publishes, IReadOnlyList<Type> Consumes);

    public static IReadOnlyDictionary<string, Routes> ByService { get; } = new Dictionary<string, Routes>(StringComparer.Ordinal)
    {
        ["registry"] = new(
            [typeof(ErasureScopeResolved), typeof(ErasureCompleted), typeof(SubjectRightScopeResolved), typeof(RegisterRightCompleted),
                typeof(RestrictionLifted), typeof(RetainedDataErased), typeof(SubjectsMerged), typeof(HeldDataErased)],
            [typeof(ErasureRequested), typeof(EraseSubjectInRegister), typeof(SubjectRightRequested), typeof(ExerciseRightInRegister),
                typeof(RestrictionLiftingRequested), typeof(RetentionPeriodEnded), typeof(LegalHoldPlaced), typeof(LegalHoldLifted)]),
        ["rightsrequests"] = new(
            [typeof(RightsRequestReceived), typeof(ErasureRequested), typeof(SubjectRightRequested), typeof(RestrictionLiftingRequested),
                typeof(SubjectToldOfRestrictionLifting), typeof(RightsRequestCompleted)],
            [typeof(ErasureCompleted), typeof(RecipientsNotified), typeof(RecipientConfirmedErasure),
                typeof(SubjectRightScopeResolved), typeof(RegisterRightCompleted), typeof(RecipientConfirmedRectification), typeof(RestrictionLifted),
                typeof(RecipientConfirmedNotice)]),
        ["retention"] = new(
            [typeof(RetentionPeriodEnded), typeof(LegalHoldPlaced), typeof(LegalHoldLifted)],
            [typeof(ErasureScopeResolved), typeof(ErasureCompleted), typeof(RetainedDataErased), typeof(SubjectsMerged), typeof(HeldDataErased)]),
        ["disclosurelog"] = new(
            [typeof(RecipientsNotified), typeof(RecipientConfirmedErasure), typeof(RecipientConfirmedRectification), typeof(RecipientConfirmedNotice)],
            [typeof(ErasureScopeResolved), typeof(SubjectRightScopeResolved), typeof(SubjectsMerged), typeof(RestrictionLifted),
                typeof(ProcessorConfirmedErasure), typeof(ProcessorConfirmedRectification), typeof(ProcessorConfirmedNotice)]),
    };

    /// <summary>The exchange MassTransit publishes an event type to: <c>{namespace}:{name}</c>.</summary>
    public static string ExchangeOf(Type eventType) => $"{eventType.Namespace}:{eventType.Name}";
}
