using System.Text;
using CsvHelper;

namespace Procexon.ServiceDefaults.Csv;

/// <summary>
/// The platform's one CSV writer. RFC 4180: comma separated, CRLF after every record, a field quoted only when it holds
/// a comma, quote or line break (quotes doubled), UTF-8 without a byte order mark. Against CSV injection (OWASP), every
/// cell that begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR gets a leading <c>'</c> and is quoted, so a
/// spreadsheet shows it as text instead of running it. Cells are text: a negative number such as <c>-5</c> comes out as
/// <c>'-5</c> as well, since a cell cannot tell a number from a formula that looks like one.
/// </summary>
public static class SpreadsheetSafeCsv
{
    // CsvHelper rather than Sep: it neutralises formula cells itself (CsvInjection.Escape with OWASP's characters).
    private static readonly CsvWriterOptions s_options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };

    /// <summary>The header and the rows as UTF-8 bytes; a <see langword="null"/> cell is empty.</summary>
    public static byte[] ToUtf8(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, s_options, leaveOpen: true))
        {
            csv.WriteHeader([.. header]);
            foreach (var row in rows)
            {
                csv.WriteRecord([.. row]);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>As <see cref="ToUtf8"/>, for a response written as text.</summary>
    public static string ToText(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows) =>
        Encoding.UTF8.GetString(ToUtf8(header, rows));
}
