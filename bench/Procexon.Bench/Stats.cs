using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Procexon.Bench;

/// <summary>Latency percentiles (nearest rank) over a set of samples in milliseconds.</summary>
internal sealed class Percentiles
{
    private readonly double[] _sorted;

    public Percentiles(IEnumerable<double> milliseconds)
    {
        _sorted = [.. milliseconds];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double P50 => At(50);

    public double P95 => At(95);

    public double P99 => At(99);

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    public double Min => _sorted.Length == 0 ? double.NaN : _sorted[0];

    public double Mean => _sorted.Length == 0 ? double.NaN : _sorted.Average();

    public int CountAbove(double milliseconds) => _sorted.Count(value => value > milliseconds);

    public double At(double percent)
    {
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    /// <summary>The row cells: n, p50, p95, p99, max.</summary>
    public string[] Cells() => [Count.ToString(CultureInfo.InvariantCulture), Ms(P50), Ms(P95), Ms(P99), Ms(Max)];

    public static string Ms(double value) => double.IsNaN(value) ? "—" : value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);
}

internal static class Clock
{
    public static long Now => Stopwatch.GetTimestamp();

    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    public static long After(long from, TimeSpan span) => from + (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static string F(double value, string format = "F1") => value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>A plain-text table, columns padded, the first column left-aligned and the rest right-aligned.</summary>
internal sealed class Table(string title, params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Row(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public Table Row(string label, Percentiles stats, params string[] more) => Row([label, .. stats.Cells(), .. more]);

    public void Print()
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < Math.Min(row.Length, widths.Length); i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"== {title}");
        AppendRow(text, headers, widths);
        AppendRow(text, [.. widths.Select(w => new string('-', w))], widths);
        foreach (var row in _rows)
        {
            AppendRow(text, row, widths);
        }

        Console.Write(text.ToString());
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Length ? cells[i] : "";
            text.Append(i == 0 ? cell.PadRight(widths[i]) : "  " + cell.PadLeft(widths[i]));
        }

        text.AppendLine();
    }
}
