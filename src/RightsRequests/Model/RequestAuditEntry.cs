namespace Procexon.RightsRequests.Model;

/// <summary>
/// One change in a request's life, as the Data Protection Ombudsman may ask to see it: who, when, what and why.
/// Rows are only ever added; the database refuses to change or delete them (<c>AppendOnlyAuditSql</c>).
/// </summary>
public sealed class RequestAuditEntry
{
    /// <summary>Assigned by the database in insertion order, so entries of one save keep the order they were made in.</summary>
    public long Id { get; private set; }

    public required Guid RequestId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required AuditAction Action { get; init; }

    /// <summary>The member of staff, <c>data-subject</c>, or <c>system</c> for the service's own steps.</summary>
    public required string Actor { get; init; }

    public string? Reason { get; init; }

    public RequestStatus? FromStatus { get; init; }

    public required RequestStatus ToStatus { get; init; }

    /// <summary>What else the change set, e.g. the new due date. Never an identifier or an e-mail address.</summary>
    public string? Detail { get; init; }
}

public enum AuditAction
{
    Received,
    VerificationCodeSent,
    VerificationCodeRejected,
    Verified,
    Extended,
    Refused,
    Expired,
    Completed,
    SubjectNotified,
    DueDateChanged,
    StatusChanged,

    /// <summary>The copies of the subject's data kept for the answer were deleted at the end of their retention.</summary>
    AnswerCopiesPurged,

    /// <summary>Staff decided to lift a restriction: the subject is told first (Art 18(3)).</summary>
    RestrictionLiftingDecided,

    /// <summary>The registers released the restriction.</summary>
    RestrictionLifted,

    /// <summary>Recipients were told of a change after the request completed (the lifting of a restriction, Art 19).</summary>
    RecipientsNotified,

    /// <summary>A recipient confirmed such a notice.</summary>
    RecipientConfirmed,

    /// <summary>Staff decided an objection to processing under legitimate interest (Art 21(1)): upheld or rejected, with the reason the subject is told.</summary>
    ObjectionDecided,
}

/// <summary>The actors the service writes when no member of staff acted.</summary>
public static class AuditActors
{
    public const string System = "system";

    public const string DataSubject = "data-subject";

    public const int MaxLength = 200;
}
