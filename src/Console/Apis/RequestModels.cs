namespace Procexon.Console.Apis;

// The console's own reading of the public API's JSON (DESIGN §5): it references no service, so a service may add fields
// without the console noticing, and the console reads only what it shows.

public sealed record RequestSummary(Guid Id, string Type, string Status, string Channel, string? Details, DateTimeOffset ReceivedAt, DateOnly DueOn, DateTimeOffset DueAt);

public sealed record InboxItem(RequestSummary Request, string? Deadline);

public sealed record RequestInbox(IReadOnlyList<InboxItem> Items, int Page, int PageSize, int Total, IReadOnlyDictionary<string, int> CountsByStatus, DateOnly Today);

public sealed record LocalizedText(string Fi, string En)
{
    public string In(string language) => language == "fi" ? Fi : En;
}

public sealed record Verification(string Method, string VerifiedBy, DateTimeOffset VerifiedAt, IReadOnlyList<string> Identifiers);

public sealed record RegisterOutcome(string Register, LocalizedText Name, string Outcome, int RecordsAffected, DateTimeOffset? AnsweredAt);

public sealed record RecipientStatus(string Recipient, LocalizedText? Name, string Status, DateTimeOffset? ConfirmBy, DateTimeOffset? ConfirmedAt);

public sealed record RequestStatus(
    Guid Id,
    string Type,
    string Status,
    string Channel,
    string? Details,
    DateTimeOffset ReceivedAt,
    DateOnly DueOn,
    DateTimeOffset DueAt,
    Verification? Verification,
    DateTimeOffset? ScopeResolvedAt,
    DateTimeOffset? RecipientsResolvedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<RegisterOutcome> Registers,
    IReadOnlyList<RecipientStatus> Recipients,
    string? Objection = null,
    ObjectionDecision? Decision = null,
    IReadOnlyList<string>? CorrectedFields = null,
    DateTimeOffset? RightRequestedAt = null,
    DateTimeOffset? ExtendedAt = null)
{
    /// <summary>Still changing: the page keeps asking for its progress.</summary>
    public bool IsOpen => Status is RequestTerms.AwaitingVerification or RequestTerms.InProgress;

    /// <summary>Open and not yet extended: the answer period may be extended once (the API also refuses after the first month).</summary>
    public bool Extendable => IsOpen && ExtendedAt is null;

    /// <summary>An objection to processing under legitimate interest (Art 21(1)) not yet decided: the only kind that takes a decision.</summary>
    public bool AwaitsDecision => Type == "objection" && Objection == "legitimate-interest" && Decision is null && IsOpen;

    /// <summary>A rectification whose corrections may still be given or changed: until the right leaves for the registers.</summary>
    public bool TakesCorrections => Type == "rectification" && RightRequestedAt is null && IsOpen;

    /// <summary>
    /// A restriction in force that the API would lift (<c>CanBeLifted</c>): a restriction, or an upheld objection, with a
    /// register that restricted, completed or waiting only for recipients' confirmations (an unconfirmed recipient does
    /// not keep it in force); whether it was lifted already is the lifting's own state.
    /// </summary>
    public bool HoldsRestriction =>
        (Status == RequestTerms.Completed
            || (Status == RequestTerms.InProgress && ScopeResolvedAt is not null && RecipientsResolvedAt is not null
                && Registers.All(r => r.Outcome != "pending")))
        && (Type == "restriction" || (Type == "objection" && Decision is { Upheld: true }))
        && Registers.Any(r => r.Outcome == "restricted");

    /// <summary>Access and portability answer with the subject's data, once completed.</summary>
    public bool HasExport => Status == RequestTerms.Completed && Type is ("access" or "portability");
}

public sealed record ObjectionDecision(bool Upheld, string Reason, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>The lifting of a restriction (Art 18(3)): the subject told first, then the registers released.</summary>
public sealed record RestrictionLifting(
    string Reason, string LiftedBy, DateTimeOffset SubjectToldAt, DateTimeOffset? LiftedAt, IReadOnlyList<string> Registers,
    DateTimeOffset? RecipientsNotifiedAt = null, IReadOnlyList<LiftingNotice>? Recipients = null)
{
    /// <summary>Final once the registers released, the recipients were told of it and each confirmed.</summary>
    public bool IsSettled => LiftedAt is not null && RecipientsNotifiedAt is not null && (Recipients ?? []).All(r => r.ConfirmedAt is not null);
}

/// <summary>A recipient told that the restriction is lifted (Art 19), and when it confirmed.</summary>
public sealed record LiftingNotice(string Recipient, LocalizedText? Name, DateTimeOffset? ConfirmedAt);

/// <summary>The answer letter to the data subject in one language, as the API writes it.</summary>
public sealed record AnswerLetter(string Language, string Subject, string Text);

/// <summary>A code is on its way to the address the requester gave; how many more may be sent.</summary>
public sealed record CodeSent(DateTimeOffset ExpiresAt, int CodesLeft);

public sealed record AuditEntry(long Sequence, DateTimeOffset OccurredAt, string Action, string Actor, string? Reason, string? FromStatus, string ToStatus, string? Detail);

public sealed record RequestAudit(IReadOnlyList<AuditEntry> Entries);

/// <summary>The API's spellings of a request's status, type, deadline and verification method that the console offers.</summary>
public static class RequestTerms
{
    public const string AwaitingVerification = "awaiting-verification";
    public const string InProgress = "in-progress";
    public const string Completed = "completed";

    public static readonly string[] All = [AwaitingVerification, InProgress, Completed, "refused", "expired"];

    /// <summary>The export's formats (<c>format=</c>): JSON, or a zip of JSON and CSV.</summary>
    public static readonly string[] ExportFormats = ["json", "zip"];

    public static readonly string[] Types = ["access", "rectification", "erasure", "restriction", "portability", "objection"];

    /// <summary>How staff may say they verified the requester (the requester's own code is theirs, not staff's).</summary>
    public static readonly string[] StaffVerificationMethods = ["staff-id-document", "staff-in-person", "staff-known-contact", "signed-letter"];

    public static readonly string[] Deadlines = ["overdue", "due-soon"];

    /// <summary>How a request staff enter reached them (the web form is the subject's own).</summary>
    public static readonly string[] StaffChannels = ["letter", "phone", "email", "in-person"];

    /// <summary>The fields a rectification may correct (the API's <c>Corrections.Fields</c>).</summary>
    public static readonly string[] CorrectionFields = ["name", "email", "phone", "address", "title", "organisation", "preferredChannel"];

    /// <summary>What an objection may be to (Art 21(1) legitimate interest, Art 21(2) direct marketing).</summary>
    public static readonly string[] ObjectionGrounds = ["direct-marketing", "legitimate-interest"];
}

public sealed record SubjectInput(string? Name, string? Email, string? Phone, string? Hetu, string? BusinessId, string? CustomerNumber);

public sealed record CorrectionInput(string? Field, string? Value);

/// <summary>
/// A request staff enter from a letter, a call or a visit, as <c>POST /api/requests</c> takes it: the day it was received
/// counts the answer period; corrections only for a rectification and what is objected to only for an objection.
/// </summary>
public sealed record WrittenRequest(
    string? Type,
    SubjectInput Subject,
    string? Channel,
    string? Details,
    DateOnly? ReceivedOn,
    IReadOnlyList<CorrectionInput>? Corrections,
    string? Objection);

/// <summary>What the intake answered: the new request, or the API's problem.</summary>
public sealed record Received(Guid? RequestId, ApiProblem? Problem);

/// <summary>The inbox's filters, as the API takes them.</summary>
public sealed record InboxFilter(string? Status = null, string? Type = null, string? Deadline = null, DateOnly? DueFrom = null, DateOnly? DueTo = null, int Page = 1)
{
    public const int PageSize = 25;
}
