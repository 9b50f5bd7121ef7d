namespace Procexon.RightsRequests.Model;

/// <summary>A data subject's request under GDPR Articles 15–21, from intake to the answer.</summary>
public sealed partial class RightsRequest
{
    public required Guid Id { get; init; }

    public required RequestType Type { get; init; }

    public required RequestStatus Status { get; set; }

    /// <summary>How the request arrived: web-form, email, letter, phone or in-person.</summary>
    public required string Channel { get; init; }

    public string? Details { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The last day of the answer period (Art 12(3)), in Finnish time.</summary>
    public required DateOnly DueOn { get; set; }

    public required SubjectIdentifiers Subject { get; init; }

    public DateTimeOffset? VerifiedAt { get; private set; }

    public VerificationMethod? VerificationMethod { get; private set; }

    /// <summary>The member of staff who verified the requester's identity.</summary>
    public string? VerifiedBy { get; private set; }

    /// <summary>
    /// Which of the given identifiers the verification proved are the requester's (<see cref="IdentifierFields"/>): a
    /// one-time code proves the e-mail only, staff say what they checked. Only these find the subject.
    /// </summary>
    public List<string> VerifiedIdentifiers { get; private set; } = [];

    /// <summary>When Registry told which registers hold the subject.</summary>
    public DateTimeOffset? ScopeResolvedAt { get; private set; }

    /// <summary>When DisclosureLog told which recipients it notified (Art 19), possibly none.</summary>
    public DateTimeOffset? RecipientsResolvedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>One answer per register in the erasure's scope; pending until the register answers.</summary>
    public List<RegisterAnswer> Registers { get; init; } = [];

    /// <summary>One row per recipient told of the erasure, with its confirmation.</summary>
    public List<RecipientAnswer> Recipients { get; init; } = [];

    /// <summary>
    /// Identity verified: the request starts to execute. Nothing runs before this. <paramref name="identifiers"/> are
    /// those the verification proved, every identifier given when null (staff who checked them all).
    /// </summary>
    public void Verify(VerificationMethod method, string verifiedBy, DateTimeOffset verifiedAt, IReadOnlyCollection<string>? identifiers = null)
    {
        if (Status != RequestStatus.AwaitingVerification)
        {
            throw new InvalidOperationException($"Request {Id} is {Status}, not awaiting verification.");
        }

        var given = IdentifierFields.Given(Subject);
        if (identifiers is not null && identifiers.FirstOrDefault(i => !given.Contains(i)) is { } unknown)
        {
            throw new ArgumentException($"Request {Id} gave no {unknown}.", nameof(identifiers));
        }

        Status = RequestStatus.InProgress;
        VerificationMethod = method;
        VerifiedBy = verifiedBy;
        VerifiedAt = verifiedAt;
        VerifiedIdentifiers = identifiers is null ? [.. given] : [.. given.Where(identifiers.Contains)];
    }

    /// <summary>
    /// The identifiers the registers may find the subject by: the verified ones only. An identifier the requester
    /// typed but nobody proved (someone else's identity code beside one's own e-mail) must never widen the match.
    /// </summary>
    public SubjectKeys VerifiedKeys()
    {
        string? Verified(string field, string? value) => VerifiedIdentifiers.Contains(field) ? value : null;
        return new(
            Verified(IdentifierFields.Email, Subject.Email),
            Verified(IdentifierFields.Phone, Subject.Phone),
            Verified(IdentifierFields.Hetu, Subject.Hetu),
            Verified(IdentifierFields.BusinessId, Subject.BusinessId),
            Verified(IdentifierFields.CustomerNumber, Subject.CustomerNumber));
    }

    /// <summary>
    /// Registry's scope: the registers holding the subject await an answer, the others are done at once. A register
    /// that answered before the scope arrived keeps its answer.
    /// </summary>
    public void RecordScope(IEnumerable<RegisterName> heldIn, IEnumerable<RegisterName> notHeldIn, DateTimeOffset resolvedAt)
    {
        ScopeResolvedAt ??= resolvedAt;
        foreach (var register in heldIn)
        {
            AnswerOf(register.Register, register.Name);
        }

        foreach (var register in notHeldIn)
        {
            var answer = AnswerOf(register.Register, register.Name);
            if (answer.Outcome is null)
            {
                answer.Record(ErasureOutcomes.NotHeld, 0, [], note: null, resolvedAt);
            }
        }
    }

    /// <summary>Registers' answers, each as <see cref="RecordRegisterAnswer"/>.</summary>
    public void RecordRegisterAnswers(IEnumerable<RegisterErasureOutcome> answers)
    {
        foreach (var answer in answers)
        {
            RecordRegisterAnswer(answer);
        }
    }

    /// <summary>One register's answer; it may arrive before the scope, so the row is added when missing.</summary>
    public void RecordRegisterAnswer(RegisterErasureOutcome answer) =>
        AnswerOf(answer.Register, answer.RegisterName).Record(
            answer.Outcome,
            answer.RecordsErased,
            [.. answer.Retained.Select(RetainedItem.From)],
            answer.Note,
            answer.CompletedAt,
            [.. (answer.Held ?? []).Select(HeldItem.From)]);

    /// <summary>DisclosureLog's notifications. An empty list is an answer too: there is nobody to wait for.</summary>
    public void RecordNotifiedRecipients(IEnumerable<NotifiedRecipient> recipients, DateTimeOffset resolvedAt)
    {
        RecipientsResolvedAt ??= resolvedAt;
        foreach (var recipient in recipients)
        {
            NoticeTo(recipient.Recipient).Notified(recipient.NotificationId, recipient.Name, recipient.ConfirmBy);
        }
    }

    /// <summary>A recipient's confirmation; it may overtake the notification list, so the row is added when missing.</summary>
    public void RecordRecipientConfirmation(string recipient, DateTimeOffset confirmedAt) =>
        NoticeTo(recipient).Confirmed(confirmedAt);

    /// <summary>Completes the request when the last awaited answer is in (see <see cref="ErasureProgress.IsComplete"/>).</summary>
    public bool TryComplete(DateTimeOffset now)
    {
        if (Status != RequestStatus.InProgress || !ErasureProgress.IsComplete(this))
        {
            return false;
        }

        Status = RequestStatus.Completed;
        CompletedAt = now;
        return true;
    }

    private RegisterAnswer AnswerOf(string register, LocalizedText name)
    {
        var answer = Registers.Find(r => r.Register == register);
        if (answer is null)
        {
            answer = new RegisterAnswer { RequestId = Id, Register = register, Name = name };
            Registers.Add(answer);
        }

        return answer;
    }

    private RecipientAnswer NoticeTo(string recipient)
    {
        var notice = Recipients.Find(r => r.Recipient == recipient);
        if (notice is null)
        {
            notice = new RecipientAnswer { RequestId = Id, Recipient = recipient };
            Recipients.Add(notice);
        }

        return notice;
    }
}

/// <summary>What the requester gave to identify themselves, normalised. Not yet proof of identity.</summary>
public sealed record SubjectIdentifiers(
    string? Name,
    string? Email,
    string? Phone,
    string? Hetu,
    string? BusinessId,
    string? CustomerNumber)
{
    public SubjectKeys ToKeys() => new(Email, Phone, Hetu, BusinessId, CustomerNumber);
}

/// <summary>The identifiers a request may give, by the names the API gives them.</summary>
public static class IdentifierFields
{
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Hetu = "hetu";
    public const string BusinessId = "businessId";
    public const string CustomerNumber = "customerNumber";

    public static readonly IReadOnlyList<string> All = [Email, Phone, Hetu, BusinessId, CustomerNumber];

    /// <summary>Those the request gave, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Given(SubjectIdentifiers subject) =>
    [
        .. new (string Field, string? Value)[]
        {
            (Email, subject.Email), (Phone, subject.Phone), (Hetu, subject.Hetu),
            (BusinessId, subject.BusinessId), (CustomerNumber, subject.CustomerNumber),
        }.Where(f => f.Value is not null).Select(f => f.Field),
    ];
}

public enum RequestType
{
    Access,
    Rectification,
    Erasure,
    Restriction,
    Portability,
    Objection,
}

public enum RequestStatus
{
    AwaitingVerification,
    InProgress,
    Completed,
    Refused,

    /// <summary>Never verified within the verification window: closed, nothing executed.</summary>
    Expired,
}

/// <summary>How staff verified the requester's identity (a HETU alone never proves it).</summary>
public enum VerificationMethod
{
    StaffInPerson,
    StaffIdDocument,
    StaffKnownContact,
    SignedLetter,

    /// <summary>The requester typed the code e-mailed to the address they gave.</summary>
    OneTimeCode,
}
