using System.Text.Json;
using Procexon.Contracts;
using Procexon.Registry.Model;
using Procexon.Registry.Notice;
using Procexon.Testing;

namespace Procexon.Registry.Tests.Notice;

[Trait("Category", "Unit")]
public sealed class RecordOfProcessingTests
{
    // The API serialises with ASP.NET Core's web defaults: camelCase.
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Record_has_one_row_per_register_and_purpose_in_catalogue_order()
    {
        var catalogue = SeedCatalogue.Registers();

        var rows = RecordOfProcessing.Compose(catalogue, NoticeContent.Embedded, "fi");

        var expected = catalogue.SelectMany(r => r.Description.Purposes.Select(p => (r.Slug, p.Text.Fi, p.LegalBasis)));
        Assert.Equal(expected, rows.Select(r => (r.Register, r.Purpose, r.LegalBasis)));
        Assert.Equal(36, rows.Count);
        Assert.Equal(10, rows.Select(r => r.Register).Distinct().Count());
    }

    [Fact]
    public void Record_rows_carry_the_registers_categories_subjects_sources_recipients_transfers_and_retention()
    {
        var rows = RecordOfProcessing.Compose(SeedCatalogue.Registers(), NoticeContent.Embedded, "en");

        var payroll = rows.First(r => r.Register == "accounting-payroll");
        Assert.Equal("Kirjanpidon ja palkanlaskennan aineistot", payroll.RegisterNameFi);
        Assert.Equal("Accounting and payroll material", payroll.RegisterNameEn);
        Assert.Equal("law", payroll.LegalBasis);
        Assert.Equal("law", payroll.LegalBasisName);
        Assert.Contains(payroll.DataCategories, c => c.StartsWith("Payroll data", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(payroll.DataSubjects));
        Assert.Contains("Accounting firm", payroll.Recipients);
        Assert.Contains("Finago", payroll.Recipients);
        Assert.True(payroll.TransfersOutsideEuEea);
        Assert.Contains("standard contractual clauses", payroll.TransferSafeguard, StringComparison.Ordinal);
        Assert.Contains("1336/1997", payroll.Retention, StringComparison.Ordinal);
        Assert.Contains("accounting-vouchers", payroll.RetentionRules);
        Assert.All(rows, row => Assert.NotNull(row.DataSubjects));

        var fi = RecordOfProcessing.Compose(SeedCatalogue.Registers(), NoticeContent.Embedded, "fi");
        Assert.Equal("oikeutettu etu", fi.First(r => r.LegalBasis == "legitimate-interest").LegalBasisName);
        Assert.Contains("Tilitoimisto", fi.First(r => r.Register == "accounting-payroll").Recipients);
    }

    [Fact]
    public void Csv_has_a_header_and_CRLF_line_ends_and_round_trips_through_an_RFC_4180_parser()
    {
        var rows = RecordOfProcessing.Compose(SeedCatalogue.Registers(), NoticeContent.Embedded, "fi");

        var csv = RecordOfProcessing.ToCsv(rows);
        var records = Rfc4180.Parse(csv);

        Assert.DoesNotContain("\n", csv.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(RecordOfProcessing.Columns, records[0]);
        Assert.Equal(rows.Count + 1, records.Count);
        Assert.All(records, record => Assert.Equal(RecordOfProcessing.Columns.Count, record.Count));
        Assert.Equal(rows.Select(Cells), records.Skip(1));
    }

    [Fact]
    public void Csv_quotes_a_cell_with_commas_quotes_or_line_breaks()
    {
        const string Awkward = "Sanoo \"hei\", sitten\r\nuusi rivi\nja vielä yksi";
        var catalogue = SeedCatalogue.Registers();
        var backups = catalogue.Find("backups");
        backups.Description = backups.Description with
        {
            Purposes = [new Purpose("legitimate-interest", new LocalizedText(Awkward, Awkward))],
            DataCategories = [new CodedName("a", new LocalizedText("Yksi, kaksi", "One, two")), new CodedName("b", new LocalizedText("Kolme", "Three"))],
        };

        var csv = RecordOfProcessing.ToCsv(RecordOfProcessing.Compose(catalogue, NoticeContent.Embedded, "fi"));
        var row = Rfc4180.Parse(csv).Single(r => r[0] == "backups");

        Assert.Contains("\"Sanoo \"\"hei\"\", sitten\r\nuusi rivi\nja vielä yksi\"", csv, StringComparison.Ordinal);
        Assert.Equal(Awkward, row[Column("purpose")]);
        Assert.Equal("Yksi, kaksi; Kolme", row[Column("dataCategories")]);
    }

    [Theory]
    [MemberData(nameof(SpreadsheetFormulas.Values), MemberType = typeof(SpreadsheetFormulas))]
    public void Csv_prefixes_a_quote_to_catalogue_text_that_a_spreadsheet_would_run_as_a_formula(string value)
    {
        var catalogue = SeedCatalogue.Registers();
        var backups = catalogue.Find("backups");
        backups.Description = backups.Description with
        {
            Purposes = [new Purpose("legitimate-interest", new LocalizedText(value, value))],
            DataCategories = [new CodedName("a", new LocalizedText(value, value)), new CodedName("b", new LocalizedText("Kolme", "Three"))],
        };

        var csv = RecordOfProcessing.ToCsv(RecordOfProcessing.Compose(catalogue, NoticeContent.Embedded, "fi"));
        var row = Rfc4180.Parse(csv).Single(r => r[0] == "backups");

        Assert.Equal("'" + value, row[Column("purpose")]);
        Assert.Equal("'" + value + "; Kolme", row[Column("dataCategories")]);
        Assert.Contains(",\"'" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\",", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_is_an_array_of_objects_with_the_expected_fields()
    {
        var rows = RecordOfProcessing.Compose(SeedCatalogue.Registers(), NoticeContent.Embedded, "fi");

        using var document = JsonDocument.Parse(JsonSerializer.Serialize(rows, s_web));

        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.Equal(rows.Count, document.RootElement.GetArrayLength());
        foreach (var row in document.RootElement.EnumerateArray())
        {
            Assert.Equal(RecordOfProcessing.Columns, row.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.String, row.GetProperty("register").ValueKind);
            Assert.Equal(JsonValueKind.String, row.GetProperty("purpose").ValueKind);
            Assert.All(
                ["dataCategories", "sources", "recipients", "retentionRules"],
                list => Assert.Equal(JsonValueKind.Array, row.GetProperty(list).ValueKind));
            Assert.Equal(JsonValueKind.True, row.GetProperty("transfersOutsideEuEea").ValueKind);
        }

        var first = document.RootElement[0];
        Assert.Equal("customers", first.GetProperty("register").GetString());
        Assert.Equal("Asiakasrekisteri", first.GetProperty("registerNameFi").GetString());
        Assert.Equal("Customer register", first.GetProperty("registerNameEn").GetString());
        Assert.Equal("contract", first.GetProperty("legalBasis").GetString());
    }

    private static int Column(string name) => RecordOfProcessing.Columns.ToList().IndexOf(name);

    /// <summary>A row as the CSV writes it: lists joined by "; ", absent values empty.</summary>
    private static List<string> Cells(ProcessingActivity row) =>
    [
        row.Register, row.RegisterNameFi, row.RegisterNameEn, row.Purpose, row.LegalBasis, row.LegalBasisName,
        string.Join("; ", row.DataCategories), row.DataSubjects ?? "", string.Join("; ", row.Sources), string.Join("; ", row.Recipients),
        row.TransfersOutsideEuEea ? "true" : "false", row.TransferSafeguard ?? "", row.Retention, string.Join("; ", row.RetentionRules),
    ];
}
