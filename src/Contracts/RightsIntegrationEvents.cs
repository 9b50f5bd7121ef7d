namespace Procexon.Contracts;

// The rights other than erasure (GDPR Art 15, 16, 18, 20, 21), fanned out like erasure: RightsRequests asks,
// Registry resolves the scope and sends one command per holding register to that register's own queue, each register
// answers once, and RightsRequests writes one answer.

/// <summary>The rights a <see cref="SubjectRightRequested"/> carries out, as they travel.</summary>
public static class SubjectRights
{
    /// <summary>Art 15: a copy of everything held, including data kept under law.</summary>
    public const string Access = "access";

    /// <summary>Art 16: the corrected fields change wherever they are held.</summary>
    public const string Rectification = "rectification";

    /// <summary>Art 18: records are kept but not processed until the restriction is lifted.</summary>
    public const string Restriction = "restriction";

    /// <summary>Art 20: only what the subject provided under consent or contract, machine-readable.</summary>
    public const string Portability = "portability";

    /// <summary>Art 21(2),(3): direct marketing stops at once; only a suppression entry stays.</summary>
    public const string ObjectionToDirectMarketing = "objection-to-direct-marketing";

    /// <summary>Art 21(1), upheld: processing under legitimate interest is restricted.</summary>
    public const string ObjectionUpheld = "objection-upheld";

    public static IReadOnlyList<string> All { get; } =
        [Access, Rectification, Restriction, Portability, ObjectionToDirectMarketing, ObjectionUpheld];
}

/// <summary>One corrected field (Art 16): a subject identifier (name, email, phone) or a record field (address, title).</summary>
[PersonalValues]
public sealed record FieldCorrection(string Field, string Value)
{
    /// <summary>Names the field, never the new value (it may be an e-mail address).</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Field = ").Append(Field);
        return true;
    }
}

/// <summary>RightsRequests → Registry: a verified request to exercise a right other than erasure.</summary>
public sealed record SubjectRightRequested(
    Guid RequestId,
    string Right,
    SubjectKeyHashes Subject,
    IReadOnlyList<FieldCorrection> Corrections,
    DateTimeOffset VerifiedAt);

/// <summary>
/// Registry → RightsRequests, DisclosureLog: which registers the right concerns. Registers in <see cref="HeldIn"/>
/// each answer with a <see cref="RegisterRightCompleted"/>; those in <see cref="NotHeldIn"/> do not hold the subject.
/// For access and portability, <see cref="Identifiers"/> are the identifiers held on the subject (their own data);
/// for a rectification, <see cref="Corrections"/> are what DisclosureLog passes on to the recipients (Art 19).
/// </summary>
public sealed record SubjectRightScopeResolved(
    Guid RequestId,
    string Right,
    IReadOnlyList<Guid> SubjectIds,
    IReadOnlyList<RegisterName> HeldIn,
    IReadOnlyList<RegisterName> NotHeldIn,
    IReadOnlyList<HeldIdentifiers> Identifiers,
    IReadOnlyList<FieldCorrection> Corrections,
    DateTimeOffset ResolvedAt);

/// <summary>The identifiers the registry holds on one subject (access and portability only).</summary>
[PersonalValues]
public sealed record HeldIdentifiers(
    Guid SubjectId, string? Name, string? Email, string? Phone, string? Hetu, string? BusinessId, string? CustomerNumber);

/// <summary>Registry, internally: carry out one right for one subject in one register, on that register's own queue.</summary>
public sealed record ExerciseRightInRegister(
    Guid RequestId, string Right, IReadOnlyList<Guid> SubjectIds, SubjectKeyHashes Subject, string Register, IReadOnlyList<FieldCorrection> Corrections);

/// <summary>
/// Registry → RightsRequests: one register's answer. For access and portability <see cref="Records"/> carries the
/// subject's data (portability: only what the subject provided under consent or contract) and
/// <see cref="Processing"/> what the catalogue says of the register.
/// </summary>
public sealed record RegisterRightCompleted(
    Guid RequestId,
    string Right,
    string Register,
    LocalizedText RegisterName,
    string Outcome,
    int RecordsAffected,
    IReadOnlyList<HeldRecord> Records,
    RegisterProcessing? Processing,
    LocalizedText? Note,
    DateTimeOffset CompletedAt);

/// <summary>One record of the subject as the register holds it.</summary>
[PersonalValues]
public sealed record HeldRecord(
    Guid RecordId,
    Guid SubjectId,
    string Category,
    LocalizedText CategoryName,
    string LegalBasis,
    string State,
    DateOnly RecordedOn,
    IReadOnlyDictionary<string, string> Fields,
    string? RetentionRule,
    DateOnly? RetainUntil);

/// <summary>What the record of processing (Art 30) says of one register: what access must also tell (Art 15(1)).</summary>
public sealed record RegisterProcessing(
    IReadOnlyList<ProcessingPurpose> Purposes,
    IReadOnlyList<string> LegalBases,
    IReadOnlyList<CategoryBasis> Categories,
    IReadOnlyList<LocalizedText> Sources,
    LocalizedText Retention,
    IReadOnlyList<string> Recipients,
    bool TransfersOutsideEuEea,
    LocalizedText? TransferSafeguard);

public sealed record ProcessingPurpose(string LegalBasis, LocalizedText Text);

public sealed record CategoryBasis(string Category, LocalizedText Name, string LegalBasis);

/// <summary>The outcomes a register answers a right with.</summary>
public static class RightOutcomes
{
    public const string Disclosed = "disclosed";
    public const string Exported = "exported";
    public const string Restricted = "restricted";
    public const string Rectified = "rectified";
    public const string NothingToRectify = "nothing-to-rectify";
    public const string Suppressed = "suppressed";
    public const string NotHeld = "not-held";
}

/// <summary>RightsRequests → anyone (the mail sender): the subject was sent the notice that their restriction is being lifted (Art 18(3)).</summary>
public sealed record SubjectToldOfRestrictionLifting(Guid RequestId, DateTimeOffset ToldAt);

/// <summary>RightsRequests → Registry: the subject has been told (Art 18(3)); lift the request's restriction everywhere.</summary>
public sealed record RestrictionLiftingRequested(Guid RequestId, string Reason, DateTimeOffset SubjectToldAt);

/// <summary>Registry → RightsRequests: the restriction of the request is lifted in every register that had it.</summary>
public sealed record RestrictionLifted(Guid RequestId, IReadOnlyList<string> Registers, int RecordsReleased, DateTimeOffset LiftedAt);

/// <summary>DisclosureLog → a processor: correct the subject's data you received from us (Art 19), and confirm.</summary>
public sealed record RectificationNoticeSent(
    Guid NotificationId, Guid RequestId, string Recipient, IReadOnlyList<Guid> SubjectIds, IReadOnlyList<FieldCorrection> Corrections);

/// <summary>A processor → DisclosureLog: the subject's data is corrected on our side.</summary>
public sealed record ProcessorConfirmedRectification(Guid NotificationId, Guid RequestId, string Recipient, DateTimeOffset ConfirmedAt, string? Detail);

/// <summary>DisclosureLog → RightsRequests: a notified recipient confirmed the rectification.</summary>
public sealed record RecipientConfirmedRectification(Guid RequestId, string Recipient, DateTimeOffset ConfirmedAt);

/// <summary>
/// The kinds of notice a recipient is sent (Art 19: rectification, erasure or restriction; and the lifting of a
/// restriction, which Art 18(3) makes a change the recipient must hear of too), as they travel.
/// </summary>
public static class RecipientNoticeKinds
{
    public const string Erasure = "erasure";
    public const string Rectification = "rectification";
    public const string Restriction = "restriction";
    public const string RestrictionLifted = "restriction-lifted";

    public static IReadOnlyList<string> All { get; } = [Erasure, Rectification, Restriction, RestrictionLifted];
}

/// <summary>
/// DisclosureLog → a processor: the processing of the subject's data you received from us is restricted (Art 18, 19):
/// keep it, but do not otherwise process it until told the restriction is lifted; and confirm.
/// </summary>
public sealed record RestrictionNoticeSent(
    Guid NotificationId, Guid RequestId, string Recipient, IReadOnlyList<Guid> SubjectIds, IReadOnlyList<string> Categories);

/// <summary>DisclosureLog → a processor: the restriction of the subject's data you were told of is lifted (Art 18(3), 19); confirm.</summary>
public sealed record RestrictionLiftedNoticeSent(
    Guid NotificationId, Guid RequestId, string Recipient, IReadOnlyList<Guid> SubjectIds, IReadOnlyList<string> Categories);

/// <summary>
/// A processor → DisclosureLog: it did what a notice of the kind <see cref="Notice"/> (<see cref="RecipientNoticeKinds"/>)
/// asks. The one confirmation for every kind; <see cref="ProcessorConfirmedErasure"/> and
/// <see cref="ProcessorConfirmedRectification"/> stay accepted from processors written before it.
/// </summary>
public sealed record ProcessorConfirmedNotice(
    Guid NotificationId, Guid RequestId, string Recipient, string Notice, DateTimeOffset ConfirmedAt, string? Detail);

/// <summary>DisclosureLog → RightsRequests: a notified recipient confirmed a restriction notice or the notice of its lifting.</summary>
public sealed record RecipientConfirmedNotice(Guid RequestId, string Recipient, string Notice, DateTimeOffset ConfirmedAt);
