using System.Globalization;
using Procexon.ServiceDefaults.Csv;

namespace Procexon.RightsRequests.Apis;

/// <summary>The audit export as RFC 4180 CSV (<see cref="SpreadsheetSafeCsv"/>): free text such as actor and reason cannot run as a formula.</summary>
public static class AuditCsv
{
    public static readonly string[] Columns =
        ["sequence", "requestId", "requestType", "occurredAt", "action", "actor", "reason", "fromStatus", "toStatus", "detail"];

    public static byte[] Write(IEnumerable<AuditEntryDto> entries) => SpreadsheetSafeCsv.ToUtf8(Columns, entries.Select(e => new[]
    {
        e.Sequence.ToString(CultureInfo.InvariantCulture),
        e.RequestId.ToString(),
        e.RequestType,
        e.OccurredAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        e.Action,
        e.Actor,
        e.Reason,
        e.FromStatus,
        e.ToStatus,
        e.Detail,
    }));
}
