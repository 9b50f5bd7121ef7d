using System.Globalization;
using Procexon.ServiceDefaults.Problems;

namespace Procexon.RightsRequests.Model;

/// <summary>
/// The request's clock and closing moves (extension, refusal, expiry), the one-time code, and the audit entries every
/// change leaves behind. Entries wait in <see cref="PendingAudit"/> until the save that stores the change stores them
/// too (<c>RequestAuditInterceptor</c>); a status change made without one (e.g. <see cref="TryComplete"/>) is given
/// one there by <see cref="TakeAuditEntries"/>.
/// </summary>
public sealed partial class RightsRequest
{
    private readonly List<RequestAuditEntry> _pendingAudit = [];

    /// <summary>When the request was entered here; later than <see cref="ReceivedAt"/> for a letter entered afterwards.</summary>
    public DateTimeOffset? EnteredAt { get; init; }

    /// <summary>The member of staff who entered a written request; null for the web form.</summary>
    public string? EnteredBy { get; init; }

    /// <summary>Further months (Art 12(3)): 0, 1 or 2.</summary>
    public int ExtensionMonths { get; private set; }

    public string? ExtensionReason { get; private set; }

    public DateTimeOffset? ExtendedAt { get; private set; }

    public string? RefusalReason { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? VerificationCodeHash { get; private set; }

    public DateTimeOffset? VerificationCodeExpiresAt { get; private set; }

    public int VerificationCodeAttempts { get; private set; }

    public int VerificationCodesSent { get; private set; }

    /// <summary>The keyed hash of the answer key the requester was given when their code verified the request.</summary>
    public string? AnswerKeyHash { get; private set; }

    /// <summary>
    /// When the copies of the subject's data this request was answered with (<see cref="RegisterDataCopy"/>) were removed
    /// at the end of their retention; from then on its answer and export are gone, and the subject asks again.
    /// </summary>
    public DateTimeOffset? AnswerCopiesPurgedAt { get; private set; }

    public IReadOnlyList<RequestAuditEntry> PendingAudit => _pendingAudit;

    public bool IsOpen => Status is RequestStatus.AwaitingVerification or RequestStatus.InProgress;

    /// <summary>The first entry of the trail. <paramref name="actor"/> is staff who entered a letter, or the data subject.</summary>
    public void RecordReceipt(string actor, DateTimeOffset now) =>
        Audit(AuditAction.Received, actor, reason: null, from: null, now,
            string.Create(CultureInfo.InvariantCulture, $"channel {Channel}; received on {AnswerPeriod.FinnishDate(ReceivedAt):yyyy-MM-dd}; due on {DueOn:yyyy-MM-dd}"));

    /// <summary>
    /// Art 12(3): up to two further months, with a reason the subject is told, and only while the first month runs.
    /// The new due date counts from receipt, so month ends come out right (31 January + 3 months = 30 April).
    /// </summary>
    public LifecycleRefusal? Extend(int months, string reason, string actor, DateTimeOffset now)
    {
        if (!IsOpen)
        {
            return NotOpen("extended");
        }

        if (ExtensionMonths > 0)
        {
            return new(ProblemTypes.Uri("already-extended"), "The answer period is already extended",
                string.Create(CultureInfo.InvariantCulture, $"Request {Id} was extended on {ExtendedAt:yyyy-MM-dd} by {ExtensionMonths} month(s) and is due on {DueOn:yyyy-MM-dd}."));
        }

        if (!RequestClock.FirstMonthRuns(ReceivedAt, now))
        {
            return new(ProblemTypes.Uri("first-month-passed"), "The first month has passed",
                string.Create(CultureInfo.InvariantCulture, $"An extension must be told to the subject within the first month (Art 12(3)); it ended on {AnswerPeriod.DueOn(ReceivedAt):yyyy-MM-dd}."));
        }

        var from = Status;
        ExtensionMonths = months;
        ExtensionReason = reason;
        ExtendedAt = now;
        DueOn = RequestClock.DueOn(ReceivedAt, months);
        Audit(AuditAction.Extended, actor, reason, from, now,
            string.Create(CultureInfo.InvariantCulture, $"by {months} month(s); due on {DueOn:yyyy-MM-dd}"));
        return null;
    }

    /// <summary>
    /// Art 12(5): a manifestly unfounded or excessive request is refused with its reason. Only before it executes:
    /// a refused request never starts, and a verified one has already set its fan-out going.
    /// </summary>
    public LifecycleRefusal? Refuse(string reason, string actor, DateTimeOffset now)
    {
        if (Status != RequestStatus.AwaitingVerification)
        {
            return new(ProblemTypes.Uri("not-refusable"), "The request cannot be refused now",
                $"Request {Id} is {RequestText.Kebab(Status)}; only a request that has not started executing (awaiting-verification) can be refused.");
        }

        RefusalReason = reason;
        Close(RequestStatus.Refused, AuditAction.Refused, actor, reason, now);
        return null;
    }

    /// <summary>Never verified within the window: it closes, nothing having executed, and a pending code stops working.</summary>
    public bool Expire(TimeSpan window, DateTimeOffset now)
    {
        if (Status != RequestStatus.AwaitingVerification)
        {
            return false;
        }

        Close(RequestStatus.Expired, AuditAction.Expired, AuditActors.System,
            string.Create(CultureInfo.InvariantCulture, $"identity not verified within {window.TotalDays:0.#} days"), now);
        return true;
    }

    /// <summary>A new code replaces any earlier one, with fresh attempts; a request gets a bounded number of codes.</summary>
    public LifecycleRefusal? IssueVerificationCode(string codeHash, DateTimeOffset now)
    {
        if (Status != RequestStatus.AwaitingVerification)
        {
            return NotOpen("sent a verification code", awaitingOnly: true);
        }

        if (Subject.Email is null)
        {
            return new(ProblemTypes.Uri("no-email-for-code"), "No e-mail address to send a code to",
                $"Request {Id} gave no e-mail address; staff verify the requester's identity instead.");
        }

        if (VerificationCodesSent >= VerificationCode.MaxCodesPerRequest)
        {
            return new(ProblemTypes.Uri("no-codes-left"), "No more codes for this request",
                string.Create(CultureInfo.InvariantCulture, $"Request {Id} has been sent {VerificationCode.MaxCodesPerRequest} codes; staff verify the requester's identity instead."));
        }

        VerificationCodeHash = codeHash;
        VerificationCodeExpiresAt = now + VerificationCode.Lifetime;
        VerificationCodeAttempts = 0;
        VerificationCodesSent++;
        Audit(AuditAction.VerificationCodeSent, AuditActors.System, "one-time code e-mailed to the address the requester gave", Status, now,
            string.Create(CultureInfo.InvariantCulture, $"code {VerificationCodesSent} of {VerificationCode.MaxCodesPerRequest}; valid until {VerificationCodeExpiresAt:O}"));
        return null;
    }

    /// <summary>
    /// Checks a typed code. The right one verifies the request like staff do; a wrong one uses up an attempt, and the
    /// attempt is kept even though the caller is refused.
    /// </summary>
    public CodeCheck CheckVerificationCode(string code, VerificationCode codes, DateTimeOffset now)
    {
        if (Status != RequestStatus.AwaitingVerification)
        {
            throw new InvalidOperationException($"Request {Id} is {Status}, not awaiting verification.");
        }

        if (VerificationCodeHash is null || VerificationCodeExpiresAt is null)
        {
            return CodeCheck.NoCode;
        }

        if (VerificationCodeAttempts >= VerificationCode.MaxAttempts)
        {
            return Rejected(CodeCheck.NoAttemptsLeft, "no attempts left");
        }

        if (now > VerificationCodeExpiresAt)
        {
            return Rejected(CodeCheck.Expired, "code expired");
        }

        if (!codes.Matches(Id, code, VerificationCodeHash))
        {
            VerificationCodeAttempts++;
            return Rejected(CodeCheck.Wrong, string.Create(CultureInfo.InvariantCulture, $"wrong code (attempt {VerificationCodeAttempts} of {VerificationCode.MaxAttempts})"));
        }

        VerificationCodeHash = null;
        VerificationCodeExpiresAt = null;
        // The code proves control of the e-mail address, and of nothing else the requester typed.
        Verify(Model.VerificationMethod.OneTimeCode, AuditActors.DataSubject, now, [IdentifierFields.Email]);
        return CodeCheck.Verified;

        CodeCheck Rejected(CodeCheck check, string reason)
        {
            Audit(AuditAction.VerificationCodeRejected, AuditActors.DataSubject, reason, Status, now, detail: null);
            return check;
        }
    }

    /// <summary>The requester's proof of possession for the answer and the export; only a request verified by its code has one.</summary>
    public void KeepAnswerKey(string answerKeyHash)
    {
        if (VerificationMethod != Model.VerificationMethod.OneTimeCode)
        {
            throw new InvalidOperationException($"Request {Id} was not verified by its one-time code.");
        }

        AnswerKeyHash = answerKeyHash;
    }

    public int VerificationAttemptsLeft => Math.Max(0, VerificationCode.MaxAttempts - VerificationCodeAttempts);

    /// <summary>
    /// The copies of the subject's data kept for the answer were deleted, <paramref name="keptFor"/> after completion
    /// (the caller deletes the rows; this records it). A request still open keeps its copies.
    /// </summary>
    public void AnswerCopiesPurged(int copies, TimeSpan keptFor, DateTimeOffset now)
    {
        if (Status != RequestStatus.Completed)
        {
            throw new InvalidOperationException($"Request {Id} is {Status}: only a completed request's answer copies are removed.");
        }

        AnswerCopiesPurgedAt ??= now;
        Audit(AuditAction.AnswerCopiesPurged, AuditActors.System,
            string.Create(CultureInfo.InvariantCulture, $"answer copies kept {keptFor.TotalDays:0.#} days after completion"), Status, now,
            string.Create(CultureInfo.InvariantCulture, $"{copies} register copies removed"));
    }

    /// <summary>The subject was sent a notice (of an extension, a refusal); kept as evidence that they were told.</summary>
    public void RecordSubjectNotified(string what, DateTimeOffset now) =>
        Audit(AuditAction.SubjectNotified, AuditActors.System, what, Status, now, detail: null);

    /// <summary>
    /// The entries to store with this save: those the methods made, and one for a change no method described —
    /// verification and completion (their methods predate the trail) or any later code that sets the status or due
    /// date itself. <paramref name="statusBefore"/> and <paramref name="dueBefore"/> are null for a new request.
    /// </summary>
    public IReadOnlyList<RequestAuditEntry> TakeAuditEntries(RequestStatus? statusBefore, DateOnly? dueBefore, DateTimeOffset now)
    {
        var entries = _pendingAudit.ToList();
        _pendingAudit.Clear();
        if (statusBefore is null)
        {
            if (!entries.Exists(e => e.Action == AuditAction.Received))
            {
                entries.Insert(0, Entry(AuditAction.Received, AuditActors.System, reason: null, from: null, EnteredAt ?? ReceivedAt, detail: null));
            }

            return entries;
        }

        if (statusBefore != Status && !entries.Exists(e => e.FromStatus != e.ToStatus && e.ToStatus == Status))
        {
            entries.Add(Status switch
            {
                RequestStatus.InProgress when VerificationMethod is { } method => Entry(AuditAction.Verified, VerifiedBy ?? AuditActors.System,
                    $"identity verified: {RequestText.Kebab(method)}", statusBefore, VerifiedAt ?? now,
                    $"identifiers verified: {string.Join(", ", VerifiedIdentifiers)}"),
                RequestStatus.Completed => Entry(AuditAction.Completed, AuditActors.System,
                    "every awaited answer is in", statusBefore, CompletedAt ?? now, detail: null),
                _ => Entry(AuditAction.StatusChanged, AuditActors.System, reason: null, statusBefore, now, detail: null),
            });
        }

        if (dueBefore is { } due && due != DueOn && !entries.Exists(e => e.Action == AuditAction.Extended))
        {
            entries.Add(Entry(AuditAction.DueDateChanged, AuditActors.System, reason: null, statusBefore, now,
                string.Create(CultureInfo.InvariantCulture, $"due on {DueOn:yyyy-MM-dd} instead of {due:yyyy-MM-dd}")));
        }

        return entries;
    }

    private void Close(RequestStatus status, AuditAction action, string actor, string reason, DateTimeOffset now)
    {
        var from = Status;
        Status = status;
        ClosedAt = now;
        VerificationCodeHash = null;
        VerificationCodeExpiresAt = null;
        Audit(action, actor, reason, from, now, detail: null);
    }

    private LifecycleRefusal NotOpen(string what, bool awaitingOnly = false) => new(
        awaitingOnly ? ProblemTypes.Uri("not-awaiting-verification") : ProblemTypes.Uri("request-closed"),
        $"The request cannot be {what}",
        $"Request {Id} is {RequestText.Kebab(Status)}; only {(awaitingOnly ? "a request awaiting verification" : "an open request")} can be {what}.");

    private void Audit(AuditAction action, string actor, string? reason, RequestStatus? from, DateTimeOffset now, string? detail) =>
        _pendingAudit.Add(Entry(action, actor, reason, from, now, detail));

    private RequestAuditEntry Entry(AuditAction action, string actor, string? reason, RequestStatus? from, DateTimeOffset at, string? detail) => new()
    {
        RequestId = Id,
        OccurredAt = at,
        Action = action,
        Actor = actor,
        Reason = reason,
        FromStatus = from,
        ToStatus = Status,
        Detail = detail,
    };
}

/// <summary>Why a lifecycle step was not taken: a 409 problem's type, title and detail.</summary>
public sealed record LifecycleRefusal(string Type, string Title, string Detail);

public enum CodeCheck
{
    Verified,
    Wrong,
    Expired,
    NoAttemptsLeft,
    NoCode,
}
