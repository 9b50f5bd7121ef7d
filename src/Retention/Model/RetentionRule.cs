namespace Procexon.Retention.Model;

/// <summary>
/// How long one kind of data in one register is kept, under which legal basis, and what happens when the period ends.
/// Kept in plain columns because the rules are filtered by register and legal basis.
/// </summary>
public sealed class RetentionRule
{
    /// <summary>A stable, URL-safe name: accounting-vouchers, employment-certificate, …</summary>
    public required string Id { get; init; }

    /// <summary>The slug of the register the rule applies to (customers, accounting-payroll, …; DESIGN §5).</summary>
    public required string Register { get; set; }

    /// <summary>One of <see cref="LegalBases.All"/>.</summary>
    public required string LegalBasis { get; set; }

    /// <summary>The law that sets the period, when one does (Accounting Act, AML Act, …).</summary>
    public string? StatuteFi { get; set; }

    public string? StatuteEn { get; set; }

    /// <summary>An ISO 8601 duration (P6Y, P90D); null when the period is "as long as the basis lasts".</summary>
    public string? Period { get; set; }

    /// <summary>The event the period runs from: end-of-financial-year, end-of-employment, consent-withdrawn, …</summary>
    public required string StartsAt { get; set; }

    /// <summary>What happens when the period ends: erase, anonymise, …</summary>
    public required string OnExpiry { get; set; }

    public required string DescriptionFi { get; set; }

    public required string DescriptionEn { get; set; }

    /// <summary>The order of the seed file, so lists read as the notice's registers do.</summary>
    public required int Position { get; init; }
}
