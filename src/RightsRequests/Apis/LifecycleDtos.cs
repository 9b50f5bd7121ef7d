namespace Procexon.RightsRequests.Apis;

/// <summary>Art 12(3): one or two further months, with the reason the subject is told (who extended: the token's caller).</summary>
public sealed record ExtensionBody(int? Months, string? Reason);

/// <summary>Art 12(5): the reason a request is manifestly unfounded or excessive (who refused: the token's caller).</summary>
public sealed record RefusalBody(string? Reason);

/// <summary>A request's clock and how it closed, beside its audit trail.</summary>
public sealed record RequestLifecycleDto(
    Guid Id,
    string Type,
    string Status,
    string Channel,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? EnteredAt,
    string? EnteredBy,
    DateOnly DueOn,
    DateTimeOffset DueAt,
    int ExtensionMonths,
    string? ExtensionReason,
    DateTimeOffset? ExtendedAt,
    string? RefusalReason,
    DateTimeOffset? ClosedAt)
{
    public static RequestLifecycleDto From(RightsRequest request) => new(
        request.Id,
        RequestText.Kebab(request.Type),
        RequestText.Kebab(request.Status),
        request.Channel,
        request.ReceivedAt,
        request.EnteredAt,
        request.EnteredBy,
        request.DueOn,
        AnswerPeriod.EndOf(request.DueOn),
        request.ExtensionMonths,
        request.ExtensionReason,
        request.ExtendedAt,
        request.RefusalReason,
        request.ClosedAt);
}

/// <summary>
/// What the subject was told. <see cref="Sent"/> is false when the request gave no e-mail address or the mail could
/// not be sent: staff then post the same text as a letter.
/// </summary>
public sealed record SubjectNoticeDto(bool Sent, string Subject, string Fi, string En);

public sealed record LifecycleChangeDto(RequestLifecycleDto Request, SubjectNoticeDto Notice);

/// <summary>A code is on its way to the address the requester gave (which is not repeated here).</summary>
public sealed record VerificationCodeSentDto(Guid RequestId, DateTimeOffset ExpiresAt, int Attempts, int CodesLeft);

public sealed record RequestAuditDto(RequestLifecycleDto Request, IReadOnlyList<AuditEntryDto> Entries);

/// <summary>One audit entry, as listed and as exported for the Data Protection Ombudsman (the CSV has these columns).</summary>
public sealed record AuditEntryDto(
    long Sequence,
    Guid RequestId,
    string RequestType,
    DateTimeOffset OccurredAt,
    string Action,
    string Actor,
    string? Reason,
    string? FromStatus,
    string ToStatus,
    string? Detail)
{
    public static AuditEntryDto From(RequestAuditEntry entry, RequestType type) => new(
        entry.Id,
        entry.RequestId,
        RequestText.Kebab(type),
        entry.OccurredAt,
        RequestText.Kebab(entry.Action),
        entry.Actor,
        entry.Reason,
        entry.FromStatus is { } from ? RequestText.Kebab(from) : null,
        RequestText.Kebab(entry.ToStatus),
        entry.Detail);
}
