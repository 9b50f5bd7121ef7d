using System.Globalization;
using System.Text;

namespace Procexon.RightsRequests.Apis;

/// <summary>The audit export as RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they need it.</summary>
public static class AuditCsv
{
    public static readonly string[] Columns =
        ["sequence", "requestId", "requestType", "occurredAt", "action", "actor", "reason", "fromStatus", "toStatus", "detail"];

    public static byte[] Write(IEnumerable<AuditEntryDto> entries)
    {
        var csv = new StringBuilder();
        Row(csv, Columns);
        foreach (var e in entries)
        {
            Row(csv, [
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
            ]);
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static void Row(StringBuilder csv, string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            var field = fields[i] ?? "";
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                csv.Append(field);
            }
        }

        csv.Append("\r\n");
    }
}
