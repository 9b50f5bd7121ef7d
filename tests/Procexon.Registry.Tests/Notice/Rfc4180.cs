using System.Text;

namespace Procexon.Registry.Tests.Notice;

/// <summary>A strict RFC 4180 reader: CRLF after every record, quoted fields with doubled quotes, nothing else.</summary>
internal static class Rfc4180
{
    public static List<List<string>> Parse(string csv)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var closed = false; // a quoted field has ended: only a comma or CRLF may follow
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                    closed = true;
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !closed:
                    quoted = true;
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    closed = false;
                    break;
                case '\r' when i + 1 < csv.Length && csv[i + 1] == '\n':
                    record.Add(field.ToString());
                    records.Add(record);
                    record = [];
                    field.Clear();
                    closed = false;
                    i++;
                    break;
                default:
                    if (closed || c is '"' or '\r' or '\n')
                    {
                        throw new FormatException($"Unexpected {(int)c:x2} at {i}: a quote, CR or LF outside a quoted field.");
                    }

                    field.Append(c);
                    break;
            }
        }

        if (quoted || field.Length > 0 || record.Count > 0)
        {
            throw new FormatException("The last record does not end with CRLF.");
        }

        return records;
    }
}
