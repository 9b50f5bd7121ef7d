using CsvHelper;
using Procexon.RightsRequests.Apis;
using Procexon.Testing;

namespace Procexon.RightsRequests.Tests;

/// <summary>The audit export's CSV as a spreadsheet opens it: pure, no I/O.</summary>
[Trait("Category", "Unit")]
public sealed class AuditCsvTests
{
    [Theory]
    [MemberData(nameof(SpreadsheetFormulas.Values), MemberType = typeof(SpreadsheetFormulas))]
    public void Every_free_text_cell_of_the_audit_csv_that_starts_a_formula_is_prefixed_with_a_quote(string value)
    {
        var entry = new AuditEntryDto(7, Guid.NewGuid(), "access", LifecycleFixture.Today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            "refused", value, value, "awaiting-verification", "refused", value);

        using var csv = CsvReader.Create(AuditCsv.Write([entry]), new CsvReaderOptions { Separator = ',' });

        Assert.True(csv.Read());
        Assert.Equal(["'" + value, "'" + value, "'" + value], new[] { csv.GetString("actor"), csv.GetString("reason"), csv.GetString("detail") });
        Assert.Equal("7", csv.GetString("sequence"));
        Assert.False(csv.Read());
    }
}
