namespace Procexon.Console.Components.Requests;

/// <summary>One row of a rectification's corrections as a form edits it: the field and its corrected value.</summary>
public sealed class CorrectionRow
{
    public string? Field { get; set; } = "";

    public string? Value { get; set; }

    /// <summary>The rows as the API takes them, empty choices and blank values as absent, so the API names what is missing.</summary>
    public static IReadOnlyList<CorrectionInput> Inputs(IEnumerable<CorrectionRow> rows) =>
        [.. rows.Select(r => new CorrectionInput(Blank(r.Field), Blank(r.Value)))];

    /// <summary>The fields a problem may name for <paramref name="count"/> rows: the list itself and each row's field and value.</summary>
    public static IEnumerable<string> ProblemFields(int count) =>
        ["corrections", .. Enumerable.Range(0, count).SelectMany(i => new[] { $"corrections[{i}].field", $"corrections[{i}].value" })];

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
