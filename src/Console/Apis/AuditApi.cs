using System.Globalization;

namespace Procexon.Console.Apis;

/// <summary>
/// The audit trail across requests (RightsRequests' export of a period) and the subject searches log (the Registry's),
/// through the gateway with the user's token.
/// </summary>
public sealed class AuditApi(HttpClient http)
{
    public const string ExportPath = "/api/requests/audit-export";

    public Task<ApiAnswer<List<AuditExportEntry>>> EntriesAsync(DateOnly? from, DateOnly? to, CancellationToken cancellationToken) =>
        http.GetOrProblemAsync<List<AuditExportEntry>>($"{ExportPath}?{Period(from, to)}", cancellationToken);

    public Task<ApiAnswer<List<SubjectSearch>>> SearchesAsync(DateOnly? from, DateOnly? to, CancellationToken cancellationToken) =>
        http.GetOrProblemAsync<List<SubjectSearch>>($"/api/subjects/searches?{Period(from, to)}", cancellationToken);

    /// <summary>The export as the API writes it (CSV), for the console's download endpoint to pass on to the browser.</summary>
    public Task<HttpResponseMessage> CsvAsync(DateOnly? from, DateOnly? to, CancellationToken cancellationToken) =>
        http.GetAsync(new Uri($"{ExportPath}?{Period(from, to)}&format=csv", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    public static string Period(DateOnly? from, DateOnly? to) =>
        ApiCalls.Query(("from", from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("to", to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
}

public sealed record AuditExportEntry(
    long Sequence, Guid RequestId, string RequestType, DateTimeOffset OccurredAt, string Action, string Actor, string? Reason, string? FromStatus, string ToStatus, string? Detail);

public sealed record SubjectSearch(Guid Id, DateTimeOffset SearchedAt, string SearchedBy, IReadOnlyList<string> IdentifierKinds, int Found);
