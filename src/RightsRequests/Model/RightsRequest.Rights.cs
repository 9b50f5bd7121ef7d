namespace Procexon.RightsRequests.Model;

// The rights other than erasure (Art 15, 16, 18, 20, 21): what a request carries beyond its type, whether its fan-out
// has started, and the restriction's lifting. The fan-out rows are the erasure's (RegisterAnswer, RecipientAnswer).
public sealed partial class RightsRequest
{
    /// <summary>For a rectification: the corrected fields (Art 16), validated by their value types.</summary>
    public List<FieldCorrection> Corrections { get; private set; } = [];

    /// <summary>For an objection: what the subject objects to (<see cref="ObjectionGrounds"/>).</summary>
    public string? ObjectionTo { get; private set; }

    /// <summary>For an objection to processing under legitimate interest (Art 21(1)): the recorded decision.</summary>
    public ObjectionDecision? Decision { get; private set; }

    /// <summary>The right sent to the registry (<see cref="SubjectRights"/>), and when; null until it leaves.</summary>
    public string? Right { get; private set; }

    public DateTimeOffset? RightRequestedAt { get; private set; }

    /// <summary>For access and portability: the identifiers the registry holds on the subject.</summary>
    public List<HeldIdentifiers> HeldIdentifiers { get; private set; } = [];

    /// <summary>For a restriction: its lifting — the subject is told first (Art 18(3)), then the registers release.</summary>
    public RestrictionLifting? Lifting { get; private set; }

    /// <summary>The particulars the type needs before anything can run: corrections, or what is objected to.</summary>
    public bool HasParticulars => Type switch
    {
        RequestType.Rectification => Corrections.Count > 0,
        RequestType.Objection => ObjectionTo is not null,
        _ => true,
    };

    public void GiveParticulars(IReadOnlyList<FieldCorrection>? corrections, string? objectionTo)
    {
        if (Right is not null)
        {
            throw new InvalidOperationException($"Request {Id} is already being carried out.");
        }

        Corrections = corrections is null ? Corrections : [.. corrections];
        ObjectionTo = objectionTo ?? ObjectionTo;
    }

    /// <summary>
    /// The right to send to the registry now, or null while the request may not run yet: unverified, particulars
    /// missing, an objection to legitimate interest undecided, or already sent. A rejected objection sends nothing.
    /// </summary>
    public string? RightToExercise()
    {
        if (Status != RequestStatus.InProgress || Right is not null || !HasParticulars)
        {
            return null;
        }

        return Type switch
        {
            RequestType.Access => SubjectRights.Access,
            RequestType.Rectification => SubjectRights.Rectification,
            RequestType.Restriction => SubjectRights.Restriction,
            RequestType.Portability => SubjectRights.Portability,
            RequestType.Objection when ObjectionTo == ObjectionGrounds.DirectMarketing => SubjectRights.ObjectionToDirectMarketing,
            RequestType.Objection when Decision is { Upheld: true } => SubjectRights.ObjectionUpheld,
            _ => null,
        };
    }

    /// <summary>A rejected objection has nothing to run: once verified it is answered at once.</summary>
    public bool TryCompleteRejectedObjection(DateTimeOffset now)
    {
        if (Status != RequestStatus.InProgress || Decision is not { Upheld: false })
        {
            return false;
        }

        Status = RequestStatus.Completed;
        CompletedAt = now;
        return true;
    }

    public void RightRequested(string right, DateTimeOffset at)
    {
        Right = right;
        RightRequestedAt = at;
    }

    /// <summary>Records the decision on an objection to processing under legitimate interest (Art 21(1)).</summary>
    public void Decide(bool upheld, string reason, string decidedBy, DateTimeOffset at)
    {
        if (Type != RequestType.Objection || ObjectionTo != ObjectionGrounds.LegitimateInterest || Decision is not null)
        {
            throw new InvalidOperationException($"Request {Id} has no objection awaiting a decision.");
        }

        Decision = new ObjectionDecision(upheld, reason, decidedBy, at);
        Audit(AuditAction.ObjectionDecided, decidedBy, reason, Status, at,
            upheld ? "upheld: the processing under legitimate interest is restricted" : "rejected: the processing goes on; the subject is told why");
    }

    /// <summary>
    /// Registry's scope for a right. Registers holding the subject await an answer; the others are not-held at once.
    /// A rectification, a restriction and an upheld objection (which restricts) tell recipients (Art 19) and wait for
    /// DisclosureLog's list of them; the other rights have no recipients to wait for.
    /// </summary>
    public void RecordRightScope(SubjectRightScopeResolved scope, DateTimeOffset now)
    {
        RecordScope(scope.HeldIn, [], now);
        foreach (var register in scope.NotHeldIn)
        {
            var answer = AnswerOf(register.Register, register.Name);
            if (answer.Outcome is null)
            {
                answer.Record(RightOutcomes.NotHeld, 0, [], note: null, now);
            }
        }

        if (!TellsRecipients(scope.Right))
        {
            RecipientsResolvedAt ??= now;
        }

        if (HeldIdentifiers.Count == 0)
        {
            HeldIdentifiers = [.. scope.Identifiers];
        }
    }

    /// <summary>
    /// The rights whose recipients are told (Art 19: rectification, erasure — which has its own flow — and restriction,
    /// whether asked for or the outcome of an upheld objection). A rejected objection runs nothing and tells nobody.
    /// </summary>
    public static bool TellsRecipients(string right) =>
        right is SubjectRights.Rectification or SubjectRights.Restriction or SubjectRights.ObjectionUpheld;

    /// <summary>One register's answer to a right; it may overtake the scope, so the row is added when missing.</summary>
    public void RecordRightAnswer(RegisterRightCompleted answer) =>
        AnswerOf(answer.Register, answer.RegisterName).Record(answer.Outcome, answer.RecordsAffected, [], answer.Note, answer.CompletedAt);

    /// <summary>True when the subject is held in no register at all: the answer is "we hold no data on you".</summary>
    public bool HoldsNoData => ScopeResolvedAt is not null && Registers.TrueForAll(r => r.Outcome == RightOutcomes.NotHeld);

    /// <summary>
    /// Art 18(3): the subject is told before the restriction is lifted; the registers release after. A restriction still
    /// waiting only for recipients' confirmations may be lifted too: a recipient that never answers must not keep a
    /// restriction in force. Its unconfirmed notices are superseded by the notices of the lifting (each recipient told of
    /// the restriction is told of the lifting), and the request completes now.
    /// </summary>
    /// <returns>True when this completed the request: the caller announces it and counts it once committed.</returns>
    public bool LiftRestriction(string reason, string liftedBy, DateTimeOffset subjectToldAt)
    {
        if (!CanBeLifted)
        {
            throw new InvalidOperationException($"Request {Id} has no restriction in force to lift.");
        }

        var unconfirmed = Recipients.Where(r => !r.IsConfirmed).Select(r => r.Recipient).Order(StringComparer.Ordinal).ToList();
        Lifting = new RestrictionLifting(reason, liftedBy, subjectToldAt, null, []);
        Audit(AuditAction.RestrictionLiftingDecided, liftedBy, reason, Status, subjectToldAt,
            "the subject is told first (Art 18(3)); the registers release, then the recipients told of the restriction are told of its lifting"
            + (unconfirmed.Count == 0 ? string.Empty : $"; unconfirmed restriction notices superseded by the lifting: {string.Join(", ", unconfirmed)}"));
        return TryComplete(subjectToldAt);
    }

    public bool CanBeLifted =>
        Lifting is null
        && (Right == SubjectRights.Restriction || Right == SubjectRights.ObjectionUpheld)
        && (Status == RequestStatus.Completed || (Status == RequestStatus.InProgress && AwaitsOnlyRecipientConfirmations))
        && Registers.Exists(r => r.Outcome == RightOutcomes.Restricted);

    /// <summary>Every register answered and DisclosureLog named the recipients told: only their confirmations are missing.</summary>
    private bool AwaitsOnlyRecipientConfirmations =>
        ScopeResolvedAt is not null && RecipientsResolvedAt is not null && Registers.TrueForAll(r => !r.IsPending);

    /// <summary>A recipient's restriction notice, unconfirmed when the lifting was decided: the lifting's notice took its place.</summary>
    public bool IsSupersededByLifting(RecipientAnswer notice) => Lifting is not null && !notice.IsConfirmed;

    public void RestrictionLiftedIn(IReadOnlyList<string> registers, DateTimeOffset liftedAt)
    {
        if (Lifting is { LiftedAt: null } lifting)
        {
            Lifting = lifting with { LiftedAt = liftedAt, Registers = [.. registers] };
            Audit(AuditAction.RestrictionLifted, AuditActors.System, "the registers released the restriction", Status, liftedAt,
                $"registers: {string.Join(", ", registers)}");
        }
    }

    /// <summary>
    /// DisclosureLog told the recipients that were told of the restriction that it is lifted (Art 19), possibly nobody.
    /// A list delivered again changes nothing; one that arrives after a confirmation fills in that recipient's row.
    /// </summary>
    public void RecordLiftingNotices(IReadOnlyList<NotifiedRecipient> recipients, DateTimeOffset now)
    {
        if (Lifting is not { } lifting || lifting.RecipientsNotifiedAt is not null)
        {
            return;
        }

        var notices = (lifting.Recipients ?? []).ToDictionary(n => n.Recipient, StringComparer.Ordinal);
        foreach (var recipient in recipients)
        {
            notices[recipient.Recipient] = new LiftingNotice(recipient.Recipient, recipient.Name, recipient.NotificationId, recipient.ConfirmBy,
                notices.GetValueOrDefault(recipient.Recipient)?.ConfirmedAt);
        }

        Lifting = lifting with { RecipientsNotifiedAt = now, Recipients = [.. notices.Values.OrderBy(n => n.Recipient, StringComparer.Ordinal)] };
        Audit(AuditAction.RecipientsNotified, AuditActors.System, "recipients told the restriction is lifted (Art 19)", Status, now,
            recipients.Count == 0 ? "no recipient was told of the restriction" : string.Join(", ", recipients.Select(r => r.Recipient)));
    }

    /// <summary>A recipient confirmed the lifting; the first confirmation counts. It may overtake the list, so its row is added.</summary>
    public void RecordLiftingConfirmation(string recipient, DateTimeOffset confirmedAt, DateTimeOffset now)
    {
        if (Lifting is not { } lifting)
        {
            return;
        }

        var notices = lifting.Recipients ?? [];
        var notice = notices.Find(n => n.Recipient == recipient);
        if (notice?.ConfirmedAt is not null)
        {
            return;
        }

        Lifting = lifting with
        {
            Recipients = [.. notices.Where(n => n.Recipient != recipient)
                .Append((notice ?? new LiftingNotice(recipient, null, null, null, null)) with { ConfirmedAt = confirmedAt })
                .OrderBy(n => n.Recipient, StringComparer.Ordinal)],
        };
        Audit(AuditAction.RecipientConfirmed, AuditActors.System, "a recipient confirmed the lifting of the restriction (Art 19)", Status, now, recipient);
    }
}

/// <summary>What an objection is to: direct marketing (Art 21(2), stops at once) or processing under legitimate interest (Art 21(1), decided).</summary>
public static class ObjectionGrounds
{
    public const string DirectMarketing = "direct-marketing";
    public const string LegitimateInterest = "legitimate-interest";

    public static IReadOnlyList<string> All { get; } = [DirectMarketing, LegitimateInterest];
}

/// <summary>The decision on an objection under Art 21(1): upheld, or rejected for compelling legitimate grounds, with the reason.</summary>
public sealed record ObjectionDecision(bool Upheld, string Reason, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>
/// The lifting of a restriction: why, by whom, when the subject was told, when the registers released, and the
/// recipients told of the lifting (Art 19) with their confirmations (null in a lifting recorded before they were told).
/// </summary>
public sealed record RestrictionLifting(
    string Reason,
    string LiftedBy,
    DateTimeOffset SubjectToldAt,
    DateTimeOffset? LiftedAt,
    List<string> Registers,
    DateTimeOffset? RecipientsNotifiedAt = null,
    List<LiftingNotice>? Recipients = null);

/// <summary>One recipient told that the restriction is lifted, and when it confirmed.</summary>
public sealed record LiftingNotice(string Recipient, LocalizedText? Name, Guid? NotificationId, DateTimeOffset? ConfirmBy, DateTimeOffset? ConfirmedAt);
