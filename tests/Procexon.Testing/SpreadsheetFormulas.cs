namespace Procexon.Testing;

/// <summary>Cell values a spreadsheet would run as a formula (OWASP's CSV injection list): every CSV export neutralises them.</summary>
public static class SpreadsheetFormulas
{
    public static IEnumerable<object[]> Values => [["=HYPERLINK(\"x\")"], ["+1"], ["-2"], ["@SUM(A1)"], ["\tx"], ["\rx"]];
}
