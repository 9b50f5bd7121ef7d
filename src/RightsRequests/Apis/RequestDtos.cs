using System.Text.Json.Serialization;

namespace Procexon.RightsRequests.Apis;

/// <summary>
/// A request. Staff entering a written one (letter, e-mail) give the day it was received (<c>receivedOn</c>, the answer
/// period counts from it); who entered it comes from their token. The web form gives neither and is received now. A
/// rectification may carry its <c>corrections</c> and an objection what it objects to (<c>objection</c>) here, or later
/// through <c>PUT /api/requests/{id}/particulars</c>.
/// </summary>
public sealed record ReceiveRequestBody(
    string? Type,
    SubjectIdentifiersInput? Subject,
    string? Channel,
    string? Details,
    DateOnly? ReceivedOn = null,
    IReadOnlyList<CorrectionInput>? Corrections = null,
    string? Objection = null);

/// <summary>
/// How the requester's identity was verified: by staff (staff-in-person, staff-id-document, staff-known-contact,
/// signed-letter; who verified comes from their token), or by the requester typing the e-mailed code (one-time-code,
/// with <c>code</c>). <see cref="Identifiers"/>: which of the request's identifiers staff checked (<c>email</c>,
/// <c>phone</c>, <c>hetu</c>, <c>businessId</c>, <c>customerNumber</c>); all those given when absent.
/// </summary>
public sealed record VerificationBody(string? Method, string? Code = null, IReadOnlyList<string>? Identifiers = null);

/// <summary>A request in the list: what, when and how far, without its fan-out. Identifiers stay in the service.</summary>
public sealed record RequestSummaryDto(
    Guid Id,
    string Type,
    string Status,
    string Channel,
    string? Details,
    DateTimeOffset ReceivedAt,
    DateOnly DueOn,
    DateTimeOffset DueAt)
{
    public static RequestSummaryDto From(RightsRequest request) => new(
        request.Id,
        RequestText.Kebab(request.Type),
        RequestText.Kebab(request.Status),
        request.Channel,
        request.Details,
        request.ReceivedAt,
        request.DueOn,
        AnswerPeriod.EndOf(request.DueOn));
}

/// <summary>
/// One request with its verification and its fan-out: one outcome per register (<c>pending</c> until it answers) and
/// one status per notified recipient. <see cref="ScopeResolvedAt"/> and <see cref="RecipientsResolvedAt"/> tell an
/// empty list that is final from one still awaited.
/// </summary>
public sealed record RequestStatusDto(
    Guid Id,
    string Type,
    string Status,
    string Channel,
    string? Details,
    DateTimeOffset ReceivedAt,
    DateOnly DueOn,
    DateTimeOffset DueAt,
    VerificationDto? Verification,
    DateTimeOffset? ScopeResolvedAt,
    DateTimeOffset? RecipientsResolvedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<RegisterOutcomeDto> Registers,
    IReadOnlyList<RecipientStatusDto> Recipients)
{
    /// <param name="now">The time recipients' overdue status is judged at.</param>
    public static RequestStatusDto From(RightsRequest request, DateTimeOffset now) => new(
        request.Id,
        RequestText.Kebab(request.Type),
        RequestText.Kebab(request.Status),
        request.Channel,
        request.Details,
        request.ReceivedAt,
        request.DueOn,
        AnswerPeriod.EndOf(request.DueOn),
        request is { VerificationMethod: { } method, VerifiedBy: { } verifiedBy, VerifiedAt: { } verifiedAt }
            ? new VerificationDto(RequestText.Kebab(method), verifiedBy, verifiedAt, request.VerifiedIdentifiers)
            : null,
        request.ScopeResolvedAt,
        request.RecipientsResolvedAt,
        request.CompletedAt,
        [.. request.Registers.OrderBy(r => r.Register, StringComparer.Ordinal).Select(r => RegisterOutcomeDto.From(r, request.Type))],
        [.. request.Recipients.OrderBy(r => r.Recipient, StringComparer.Ordinal).Select(r => RecipientStatusDto.From(r, now, request.IsSupersededByLifting(r)))])
    {
        Objection = request.ObjectionTo,
        Decision = request.Decision is { } decision ? new DecisionDto(decision.Upheld, decision.Reason, decision.DecidedBy, decision.DecidedAt) : null,
        CorrectedFields = request.Type == RequestType.Rectification ? [.. request.Corrections.Select(c => c.Field)] : null,
        RightRequestedAt = request.RightRequestedAt,
        ExtendedAt = request.ExtendedAt,
    };

    /// <summary>What an objection is to (direct-marketing, legitimate-interest); null for other types or until given.</summary>
    public string? Objection { get; init; }

    /// <summary>The decision on an objection to processing under legitimate interest (Art 21(1)), once recorded.</summary>
    public DecisionDto? Decision { get; init; }

    /// <summary>A rectification's corrected fields, by name only: their values stay in the service.</summary>
    public IReadOnlyList<string>? CorrectedFields { get; init; }

    /// <summary>When the right left for the registers; from then on the request's particulars no longer change.</summary>
    public DateTimeOffset? RightRequestedAt { get; init; }

    /// <summary>When the answer period was extended (Art 12(3)); it may be extended once.</summary>
    public DateTimeOffset? ExtendedAt { get; init; }

    /// <summary>
    /// The requester's key to the answer (and the export), in the answer to their code verification only: said once,
    /// kept as a keyed hash.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AnswerKey { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AnswerUrl { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExportUrl { get; init; }
}

/// <summary>An objection's decision as the request shows it: upheld or rejected, why, by whom and when.</summary>
public sealed record DecisionDto(bool Upheld, string Reason, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary><see cref="Identifiers"/>: those the verification proved, the only ones the subject is found by.</summary>
public sealed record VerificationDto(string Method, string VerifiedBy, DateTimeOffset VerifiedAt, IReadOnlyList<string> Identifiers);

/// <summary>
/// One register's answer. <see cref="RecordsAffected"/> counts the records the right acted on (erased, corrected,
/// restricted…) for every type; <see cref="RecordsErased"/>, the same number, is there only for an erasure (null otherwise),
/// so no client reads a correction as an erasure.
/// </summary>
public sealed record RegisterOutcomeDto(
    string Register,
    LocalizedText Name,
    string Outcome,
    int RecordsAffected,
    int? RecordsErased,
    IReadOnlyList<RetainedDto> Retained,
    LocalizedText? Note,
    DateTimeOffset? AnsweredAt,
    IReadOnlyList<HeldDto> Held)
{
    public static RegisterOutcomeDto From(RegisterAnswer answer, RequestType type) => new(
        answer.Register,
        answer.Name,
        ErasureProgress.OutcomeOf(answer),
        answer.RecordsErased,
        type == RequestType.Erasure ? answer.RecordsErased : null,
        [.. answer.Retained.Select(r => new RetainedDto(r.Category, r.RetentionRule, r.Statute, r.RetainUntil, r.Records))],
        answer.Note,
        answer.AnsweredAt,
        [.. answer.Held.Select(h => new HeldDto(h.Category, h.HoldId, h.Basis, LegalHoldBases.TextOf(h.Basis), h.Records))]);
}

/// <summary>Data a legal hold placed by a person keeps (Art 17(3)(e)) until it is lifted; the hold's reason stays in Retention.</summary>
public sealed record HeldDto(string Category, Guid HoldId, string Basis, LocalizedText BasisText, int Records);

public sealed record RetainedDto(string Category, string RetentionRule, LocalizedText Statute, DateOnly RetainUntil, int Records);

/// <summary>
/// A notified recipient: <c>notified</c>, <c>confirmed</c>, <c>overdue</c> once its confirm-by time has passed, or
/// <c>superseded</c>: a restriction notice left unconfirmed when the restriction was lifted.
/// </summary>
public sealed record RecipientStatusDto(string Recipient, LocalizedText? Name, string Status, DateTimeOffset? ConfirmBy, DateTimeOffset? ConfirmedAt)
{
    public static RecipientStatusDto From(RecipientAnswer notice, DateTimeOffset now, bool superseded = false) => new(
        notice.Recipient,
        notice.Name,
        RequestText.Kebab(ErasureProgress.StatusOf(notice, now, superseded)),
        notice.ConfirmBy,
        notice.ConfirmedAt);
}
