using Procexon.ServiceDefaults.Csv;

namespace Procexon.Registry.Notice;

/// <summary>
/// One processing activity of the record of processing (GDPR Art 30(1)): one register and one of its purposes, with
/// what the register holds, where from, who receives it, whether it leaves the EU/EEA and how long it is kept.
/// Texts are in the language asked for; codes (<see cref="Register"/>, <see cref="LegalBasis"/>,
/// <see cref="RetentionRules"/>) are the catalogue's.
/// </summary>
public sealed record ProcessingActivity(
    string Register,
    string RegisterNameFi,
    string RegisterNameEn,
    string Purpose,
    string LegalBasis,
    string LegalBasisName,
    IReadOnlyList<string> DataCategories,
    string? DataSubjects,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Recipients,
    bool TransfersOutsideEuEea,
    string? TransferSafeguard,
    string Retention,
    IReadOnlyList<string> RetentionRules);

/// <summary>The Art 30 record of processing from the live catalogue: one row per register × purpose, as JSON rows or CSV.</summary>
public static class RecordOfProcessing
{
    /// <summary>The CSV header: the JSON property names, in the same order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "register", "registerNameFi", "registerNameEn", "purpose", "legalBasis", "legalBasisName", "dataCategories",
        "dataSubjects", "sources", "recipients", "transfersOutsideEuEea", "transferSafeguard", "retention", "retentionRules",
    ];

    /// <summary>
    /// The rows, registers in <see cref="Register.Position"/> order and purposes in the register's order. Recipients are
    /// named as the notice names them (notice.json); data subjects come from notice.json, the rest from the catalogue.
    /// </summary>
    public static IReadOnlyList<ProcessingActivity> Compose(IEnumerable<Register> catalogue, NoticeContent content, string language)
    {
        if (!PrivacyNoticeComposer.Languages.Contains(language))
        {
            throw new ArgumentOutOfRangeException(nameof(language), language, "The record is written in fi or en.");
        }

        return [.. catalogue.OrderBy(r => r.Position).SelectMany(register =>
        {
            var d = register.Description;
            var categories = d.DataCategories.Select(c => c.Name.In(language)).ToList();
            var sources = d.Sources.Select(s => s.Name.In(language)).ToList();
            var recipients = d.Recipients.Select(slug => content.Recipient(slug)?.Name.In(language) ?? slug).ToList();
            var subjects = content.DataSubjects.TryGetValue(register.Slug, out var named) ? named.In(language) : null;
            return d.Purposes.Select(purpose => new ProcessingActivity(
                register.Slug,
                d.Name.Fi,
                d.Name.En,
                purpose.Text.In(language),
                purpose.LegalBasis,
                content.LegalBasis(purpose.LegalBasis)?.Name.In(language) ?? purpose.LegalBasis,
                categories,
                subjects,
                sources,
                recipients,
                d.TransfersOutsideEuEea.Possible,
                d.TransfersOutsideEuEea.Possible ? d.TransfersOutsideEuEea.Safeguard?.In(language) : null,
                d.Retention.In(language),
                d.RetentionRules));
        })];
    }

    /// <summary>
    /// RFC 4180 CSV by <see cref="SpreadsheetSafeCsv"/>: a header row, CRLF after every row, fields with a comma, quote or
    /// line break quoted (quotes doubled), catalogue text that would start a formula neutralised. A list is one cell, its
    /// values joined by <c>"; "</c>; an absent value is an empty cell.
    /// </summary>
    public static string ToCsv(IEnumerable<ProcessingActivity> rows) => SpreadsheetSafeCsv.ToText(Columns, rows.Select(row => new[]
    {
        row.Register, row.RegisterNameFi, row.RegisterNameEn, row.Purpose, row.LegalBasis, row.LegalBasisName,
        Join(row.DataCategories), row.DataSubjects, Join(row.Sources), Join(row.Recipients),
        row.TransfersOutsideEuEea ? "true" : "false", row.TransferSafeguard, row.Retention, Join(row.RetentionRules),
    }));

    private static string Join(IEnumerable<string> values) => string.Join("; ", values);
}
