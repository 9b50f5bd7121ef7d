namespace Procexon.Contracts;

// Integration events between the services. Past-tense names in the privacy domain; ids first. Subjects travel as
// their ids or as keyed hashes of their identifiers (SubjectKeyHashes). An event that must carry personal values (a
// disclosure, new values, an access answer) holds them in a [PersonalValues] part: its outbox row is sealed, and between
// the services the part is sealed on the broker too.

/// <summary>
/// The identifiers a subject gave, normalised by their value types (see <see cref="ValidSubjectIdentifiers"/>). In
/// memory and in <see cref="DataDisclosed"/> only: requests carry them hashed (<see cref="SubjectKeyHasher.HashesOf"/>).
/// </summary>
[PersonalValues]
public sealed record SubjectKeys(
    string? Email = null,
    string? Phone = null,
    string? Hetu = null,
    string? BusinessId = null,
    string? CustomerNumber = null)
{
    /// <summary>Says which identifiers are present, never their values: a logged message must not leak them.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        (string Name, string? Value)[] keys =
        [
            (nameof(Email), Email), (nameof(Phone), Phone), (nameof(Hetu), Hetu),
            (nameof(BusinessId), BusinessId), (nameof(CustomerNumber), CustomerNumber),
        ];
        builder.Append("given: ").AppendJoin(", ", keys.Where(k => k.Value is not null).Select(k => k.Name));
        return true;
    }
}

/// <summary>
/// RightsRequests → anyone: a data subject's request was recorded and its answer period started. Carries no personal
/// data. An announcement: no service of the platform consumes it; it is there for whoever wants to follow the requests
/// (a report, an integration) without reading RightsRequests' API.
/// </summary>
public sealed record RightsRequestReceived(Guid RequestId, string Type, string Channel, DateTimeOffset ReceivedAt, DateOnly DueOn);

/// <summary>RightsRequests → Registry: a verified erasure request (GDPR Art 17).</summary>
public sealed record ErasureRequested(Guid RequestId, SubjectKeyHashes Subject, DateTimeOffset VerifiedAt);

/// <summary>
/// Registry → DisclosureLog, Retention (and, passed on in DisclosureLog's <see cref="RecipientsNotified"/>,
/// RightsRequests): who the subject is and which registers hold them. Registers not
/// listed in <see cref="HeldIn"/> do not hold the subject. <see cref="Answered"/> carries the answers of the registers
/// erased in the transaction that resolved the scope (every register of the Registry's database whose policy did not
/// fail), so they cost no event of their own; a register retried on its own queue answers later in an
/// <see cref="ErasureCompleted"/>.
/// </summary>
public sealed record ErasureScopeResolved(
    Guid RequestId,
    IReadOnlyList<Guid> SubjectIds,
    IReadOnlyList<RegisterName> HeldIn,
    IReadOnlyList<RegisterName> NotHeldIn,
    IReadOnlyList<RegisterErasureOutcome>? Answered = null);

public sealed record RegisterName(string Register, LocalizedText Name);

/// <summary>Registry, internally: erase one subject in one register. Sent to that register's own queue.</summary>
public sealed record EraseSubjectInRegister(Guid RequestId, IReadOnlyList<Guid> SubjectIds, string Register);

/// <summary>
/// Registry → RightsRequests, Retention: a register's answer to an erasure request, from a register erased on its own
/// queue (one whose erasure failed in the common transaction). The registers erased in that transaction answer
/// together in its <see cref="ErasureScopeResolved"/> (DESIGN §3, amended).
/// </summary>
public sealed record ErasureCompleted(Guid RequestId, IReadOnlyList<RegisterErasureOutcome> Registers);

/// <summary>
/// One register's answer to an erasure request, decided by that register's own policy. <see cref="Held"/> is what a
/// legal hold placed by a person kept (absent in answers sent before holds existed).
/// </summary>
public sealed record RegisterErasureOutcome(
    Guid RequestId,
    string Register,
    LocalizedText RegisterName,
    string Outcome,
    int RecordsErased,
    IReadOnlyList<RetainedData> Retained,
    LocalizedText? Note,
    DateTimeOffset CompletedAt,
    IReadOnlyList<HeldData>? Held = null);

/// <summary>Data kept under law (Art 17(3)(b),(e)), processing restricted, until the date it may go.</summary>
public sealed record RetainedData(
    Guid SubjectId,
    string Category,
    string RetentionRule,
    LocalizedText Statute,
    DateOnly RetainUntil,
    int Records);

/// <summary>The outcomes a register can answer (DESIGN §6).</summary>
public static class ErasureOutcomes
{
    public const string Erased = "erased";
    public const string Anonymised = "anonymised";
    public const string RetainedUnderLaw = "retained-under-law";

    /// <summary>A legal hold placed by a person (Art 17(3)(e)) keeps records the erasure would otherwise remove.</summary>
    public const string RetainedUnderLegalHold = "retained-under-legal-hold";
    public const string BeyondUse = "beyond-use";
    public const string NotHeld = "not-held";
}

/// <summary>
/// DisclosureLog → RightsRequests: the recipients that received the subject's data and were told (Art 19).
/// <see cref="Notice"/> is the kind (<see cref="RecipientNoticeKinds"/>); a request may tell its recipients twice, of a
/// restriction and later of its lifting. Null from a sender older than the kinds: the request's own right.
/// <see cref="ErasureScope"/> is, for an erasure, the Registry's scope the notices were sent for, passed on whole:
/// RightsRequests learns an erasure's scope, and the answers of the registers erased with it, from this event, in the
/// transaction that records the recipients, instead of in one of its own (DESIGN §3, amended).
/// </summary>
public sealed record RecipientsNotified(
    Guid RequestId, IReadOnlyList<NotifiedRecipient> Recipients, string? Notice = null, ErasureScopeResolved? ErasureScope = null);

public sealed record NotifiedRecipient(Guid NotificationId, string Recipient, LocalizedText Name, DateTimeOffset ConfirmBy);

/// <summary>
/// DisclosureLog → a processor: erase the subject's data you received from us, and confirm. The subject is named by the
/// ids every <see cref="DataDisclosed"/> to the recipient carried (and <see cref="SubjectsMerged"/> re-pointed).
/// </summary>
public sealed record ErasureNoticeSent(
    Guid NotificationId, Guid RequestId, string Recipient, IReadOnlyList<Guid> SubjectIds, IReadOnlyList<string> Categories);

/// <summary>A processor → DisclosureLog: the subject's data is erased on our side.</summary>
public sealed record ProcessorConfirmedErasure(Guid NotificationId, Guid RequestId, string Recipient, DateTimeOffset ConfirmedAt, string? Detail);

/// <summary>DisclosureLog → RightsRequests: a notified recipient confirmed the erasure.</summary>
public sealed record RecipientConfirmedErasure(Guid RequestId, string Recipient, DateTimeOffset ConfirmedAt);

/// <summary>
/// DisclosureLog → the processor: the subject's data was disclosed to you (your copy to keep). It carries the
/// identifiers because it is the disclosure (sealed in the outbox, in clear on the recipient's own queue); later notices
/// name the subject by <see cref="SubjectId"/>.
/// </summary>
public sealed record DataDisclosed(Guid DisclosureId, string Recipient, Guid SubjectId, SubjectKeys Subject, IReadOnlyList<string> Categories, string LegalBasis);

/// <summary>
/// RightsRequests → anyone: every register and every notified recipient has answered. An announcement like
/// <see cref="RightsRequestReceived"/>: no service consumes it (the erasure bench does, to see completions without polling).
/// </summary>
public sealed record RightsRequestCompleted(Guid RequestId, string Type, DateTimeOffset CompletedAt);

/// <summary>
/// Retention → Registry: the retention period of data kept under law has ended; erase it now. A hold is one
/// (subject, register, rule, category, date) as <see cref="RetainedData"/> reported it, and erases exactly those records.
/// <see cref="Category"/> is absent only in messages sent before it was added, which erase by rule and date.
/// </summary>
public sealed record RetentionPeriodEnded(
    Guid HoldId, Guid SubjectId, string Register, string RetentionRule, DateOnly RetainUntil, string? Category = null);

/// <summary>
/// Registry → Retention: data whose retention ended is erased, or, where a legal hold placed by a person covers it, is
/// kept under that hold now (<see cref="RecordsKeptUnderLegalHold"/>) and goes when the hold is lifted.
/// </summary>
public sealed record RetainedDataErased(
    Guid HoldId, Guid SubjectId, string Register, string RetentionRule, int RecordsErased, DateTimeOffset ErasedAt, int RecordsKeptUnderLegalHold = 0);
