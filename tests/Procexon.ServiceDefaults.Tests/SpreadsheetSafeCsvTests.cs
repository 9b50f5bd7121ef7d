using System.Text;
using CsvHelper;
using Procexon.ServiceDefaults.Csv;

namespace Procexon.ServiceDefaults.Tests;

/// <summary>The one CSV writer: RFC 4180 as the exports always wrote it, and no cell that a spreadsheet would run.</summary>
[Trait("Category", "Unit")]
public sealed class SpreadsheetSafeCsvTests
{
    [Fact]
    public void Writes_rfc_4180_with_crlf_quotes_only_where_needed_and_no_byte_order_mark()
    {
        var bytes = SpreadsheetSafeCsv.ToUtf8(["a", "b", "c"], [["plain", "with, comma", "Sanoo \"hei\"\nrivi"], [null, "", " space "]]);

        Assert.Equal("a,b,c\r\nplain,\"with, comma\",\"Sanoo \"\"hei\"\"\nrivi\"\r\n,, space \r\n", Encoding.UTF8.GetString(bytes));
        Assert.NotEqual(0xEF, bytes[0]);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-2", "\"'-2\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\tx", "\"'\tx\"")]
    [InlineData("\rx", "\"'\rx\"")]
    public void A_cell_that_begins_with_a_formula_character_gets_a_leading_quote(string value, string written)
    {
        var text = SpreadsheetSafeCsv.ToText(["value"], [[value]]);

        Assert.Equal($"value\r\n{written}\r\n", text);
        using var csv = CsvReader.FromText(text, new CsvReaderOptions { Separator = ',' });
        Assert.True(csv.Read());
        Assert.Equal("'" + value, csv.GetString("value"));
    }

    [Fact]
    public void A_negative_number_is_text_too_and_comes_out_as_quote_minus_five()
    {
        // Decided: OWASP's rule for every leading '-', numbers included; a reader of the export sees '-5.
        Assert.Equal("n\r\n\"'-5\"\r\n", SpreadsheetSafeCsv.ToText(["n"], [["-5"]]));
    }

    [Theory]
    [InlineData("a=b")]
    [InlineData("x-1")]
    [InlineData(" =1")]
    [InlineData("'=1")]
    [InlineData("5")]
    public void A_formula_character_anywhere_but_the_start_is_left_alone(string value)
    {
        Assert.Equal($"v\r\n{value}\r\n", SpreadsheetSafeCsv.ToText(["v"], [[value]]));
    }
}
