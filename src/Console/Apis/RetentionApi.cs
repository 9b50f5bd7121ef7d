using System.Globalization;

namespace Procexon.Console.Apis;

/// <summary>
/// The retention part of the public API, through the gateway with the user's token: the rules, a subject's holds
/// (statutory, and those placed by people for legal claims), placing and lifting a legal hold, and a sweep.
/// </summary>
public sealed class RetentionApi(HttpClient http)
{
    public Task<List<RetentionRule>> RulesAsync(CancellationToken cancellationToken) =>
        http.GetAsync<List<RetentionRule>>("/api/retention/rules", cancellationToken);

    /// <summary>
    /// The subject's statutory holds. The subject is passed as the user typed it: the API's problem for a malformed one
    /// names <c>subject</c>, and is shown beside the field.
    /// </summary>
    public Task<ApiAnswer<List<StatutoryHold>>> HoldsAsync(string? subject, CancellationToken cancellationToken) =>
        http.GetOrProblemAsync<List<StatutoryHold>>($"/api/retention/holds?{ApiCalls.Query(("subject", subject))}", cancellationToken);

    public Task<ApiAnswer<List<PlacedLegalHold>>> LegalHoldsAsync(string? subject, CancellationToken cancellationToken) =>
        http.GetOrProblemAsync<List<PlacedLegalHold>>($"/api/retention/legal-holds?{ApiCalls.Query(("subject", subject))}", cancellationToken);

    /// <summary>One page of the statutory holds still scheduled across subjects, soonest to go first, optionally of one register.</summary>
    public Task<ListPage<StatutoryHold>> ScheduleAsync(int page, string? register, CancellationToken cancellationToken) =>
        http.GetAsync<ListPage<StatutoryHold>>(
            $"/api/retention/holds/schedule?{ApiCalls.Query(("page", page.ToString(CultureInfo.InvariantCulture)), ("register", register))}", cancellationToken);

    /// <summary>One page of the legal holds placed on every subject, newest first; status is in-force, lifted or null for both.</summary>
    public Task<ListPage<PlacedLegalHold>> LegalHoldLogAsync(int page, string? status, CancellationToken cancellationToken) =>
        http.GetAsync<ListPage<PlacedLegalHold>>(
            $"/api/retention/legal-holds/log?{ApiCalls.Query(("page", page.ToString(CultureInfo.InvariantCulture)), ("status", status))}", cancellationToken);

    /// <summary>Keeps the subject's data (in one register, or all when none is named) for legal claims.</summary>
    public Task<ApiAnswer<PlacedLegalHold>> PlaceAsync(Guid subjectId, string? register, string? reason, CancellationToken cancellationToken) =>
        http.PostOrProblemAsync<PlacedLegalHold>("/api/retention/legal-holds",
            new { subjectId, register, basis = RetentionTerms.LegalClaims, reason }, cancellationToken);

    public Task<ApiAnswer<PlacedLegalHold>> LiftAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        http.PostOrProblemAsync<PlacedLegalHold>($"/api/retention/legal-holds/{id}/lifting", new { reason }, cancellationToken);

    public Task<ApiAnswer<Sweep>> SweepAsync(CancellationToken cancellationToken) =>
        http.PostOrProblemAsync<Sweep>("/api/retention/sweeps", new { }, cancellationToken);
}

public sealed record RetentionRule(
    string Id, string Register, string LegalBasis, LocalizedText? Statute, string? Period, string StartsAt, string OnExpiry, LocalizedText Description);

/// <summary>Data kept under a statute through an erasure, and when it may go.</summary>
public sealed record StatutoryHold(
    Guid Id, Guid SubjectId, string Register, string RetentionRule, string Category, LocalizedText Statute, DateOnly RetainUntil,
    string Status, Guid RequestId, int Records, DateTimeOffset CreatedAt, DateTimeOffset? ReleasedAt, DateTimeOffset? ErasedAt);

/// <summary>A hold a privacy officer placed for legal claims (Art 17(3)(e)); the reason is staff's own.</summary>
public sealed record PlacedLegalHold(
    Guid Id, Guid SubjectId, string? Register, string Basis, LocalizedText BasisText, string Reason, string Status, string PlacedBy,
    DateTimeOffset PlacedAt, string? LiftedBy, DateTimeOffset? LiftedAt, string? LiftReason, int? RecordsErased, DateTimeOffset? ErasedAt)
{
    public bool InForce => Status == RetentionTerms.InForce;
}

/// <summary>What a sweep did: the statutory holds whose period had ended, released for erasure.</summary>
public sealed record Sweep(int Released, DateTimeOffset At);

public static class RetentionTerms
{
    public const string LegalClaims = "legal-claims";
    public const string InForce = "in-force";
    public const string Lifted = "lifted";
}
