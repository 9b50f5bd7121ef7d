using System.Globalization;

namespace Procexon.Registry.Model;

public enum RecordFate
{
    Erase,
    Retain,
    BeyondUse,

    /// <summary>The register would erase it, but a legal hold placed by a person keeps it (Art 17(3)(e)).</summary>
    LegalHold,
}

public sealed record RecordDecision(
    RegisterRecord Record, RecordFate Fate, string? RetentionRule = null, LocalizedText? Statute = null, DateOnly? Until = null, LegalHoldInForce? Hold = null);

public sealed record ErasurePlan(string Register, string Outcome, IReadOnlyList<RecordDecision> Decisions, bool KeepSuppressionEntry, LocalizedText? Note)
{
    public int Erased => Decisions.Count(d => d.Fate == RecordFate.Erase);
}

/// <summary>
/// What erasure means in each register (DESIGN §6, GDPR Art 17(3)): most data goes; accounting material and the parts
/// of employment records the law requires stay, restricted, until their period ends; backups are put beyond use.
/// What would be erased stays instead, restricted, where a legal hold placed by a person covers it (DESIGN §6: "unless
/// under a legal hold"); a statute's own retention and a backup's rotation are not changed by a hold. Pure: the
/// consumer applies the plan.
/// </summary>
public static class ErasurePolicy
{
    public static ErasurePlan Plan(string register, IReadOnlyList<RegisterRecord> records, IReadOnlyList<LegalHoldInForce>? holds = null)
    {
        if (records.Count == 0)
        {
            return new ErasurePlan(register, ErasureOutcomes.NotHeld, [], false, null);
        }

        var decisions = records.Select(record => DecideUnderHolds(register, record, holds ?? [])).ToList();
        var outcome = decisions.Any(d => d.Fate == RecordFate.BeyondUse) ? ErasureOutcomes.BeyondUse
            : decisions.Any(d => d.Fate == RecordFate.LegalHold) ? ErasureOutcomes.RetainedUnderLegalHold
            : decisions.Any(d => d.Fate == RecordFate.Retain) ? ErasureOutcomes.RetainedUnderLaw
            : ErasureOutcomes.Erased;
        return new ErasurePlan(register, outcome, decisions, register == "marketing", NoteFor(register, decisions));
    }

    private static RecordDecision DecideUnderHolds(string register, RegisterRecord record, IReadOnlyList<LegalHoldInForce> holds)
    {
        var decision = Decide(register, record);
        return decision.Fate == RecordFate.Erase && LegalHoldsInForce.Of(holds, record.SubjectId, register) is { } hold
            ? decision with { Fate = RecordFate.LegalHold, Hold = hold }
            : decision;
    }

    private static RecordDecision Decide(string register, RegisterRecord record) => register switch
    {
        "accounting-payroll" => DecideAccounting(record),
        "employees" => DecideEmployment(record),
        "email-archive" when record.Category == "accounting-material" =>
            Retain(record, "email-archive", StatutoryRetention.AccountingActVouchers, StatutoryRetention.VoucherPeriodEnds(record.RecordedOn)),
        "backups" => new RecordDecision(record, RecordFate.BeyondUse, "backup-rotation", StatutoryRetention.BackupRotation, record.RecordedOn.AddDays(90)),
        _ => new RecordDecision(record, RecordFate.Erase),
    };

    // Everything in the accounting material stays: the basic data and identity code identify the vouchers they sit on.
    private static RecordDecision DecideAccounting(RegisterRecord record) =>
        record.Category == "customer-contract" && Kind(record) == "due-diligence"
            ? Retain(record, "aml-customer-due-diligence", StatutoryRetention.AmlCustomerDueDiligence,
                StatutoryRetention.YearsAfter(DateField(record, "relationshipEnded"), 5))
            : Retain(record, "accounting-vouchers", StatutoryRetention.AccountingActVouchers,
                StatutoryRetention.VoucherPeriodEnds(record.RecordedOn));

    private static RecordDecision DecideEmployment(RegisterRecord record) => record.Category switch
    {
        "payroll" or "personal-identity-code" =>
            Retain(record, "payroll-vouchers", StatutoryRetention.AccountingActVouchers, StatutoryRetention.VoucherPeriodEnds(record.RecordedOn)),
        "employment" => Kind(record) switch
        {
            "working-time" => Retain(record, "working-time-records", StatutoryRetention.WorkingHours,
                StatutoryRetention.YearsAfter(DateField(record, "employmentEnded"), 2)),
            "annual-holiday" => Retain(record, "annual-holiday-records", StatutoryRetention.AnnualHolidays,
                StatutoryRetention.YearsAfter(DateField(record, "employmentEnded"), 2)),
            _ => Retain(record, "employment-certificate", StatutoryRetention.EmploymentCertificate,
                StatutoryRetention.YearsAfter(DateField(record, "employmentEnded"), 10)),
        },
        _ => new RecordDecision(record, RecordFate.Erase),
    };

    private static RecordDecision Retain(RegisterRecord record, string rule, LocalizedText statute, DateOnly until) =>
        new(record, RecordFate.Retain, rule, statute, until);

    private static string? Kind(RegisterRecord record) => record.Fields.GetValueOrDefault("kind")?.Trim().ToLowerInvariant();

    /// <summary>A date the record names (employment end, relationship end); the record's own date when it names none.</summary>
    private static DateOnly DateField(RegisterRecord record, string field) =>
        record.Fields.TryGetValue(field, out var value)
        && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : record.RecordedOn;

    private static LocalizedText? NoteFor(string register, List<RecordDecision> decisions)
    {
        // The suppression note would say nothing else stays; the answer lists what the hold keeps instead.
        if (register == "marketing" && decisions.All(d => d.Fate != RecordFate.LegalHold))
        {
            return new LocalizedText(
                "Markkinointirekisteriin jää vain suoramarkkinoinnin estomerkintä (sähköpostiosoitteen tai puhelinnumeron avaintiiviste), jotta tietojasi ei lisätä kampanjoihin uudelleen (GDPR 21 artiklan 3 kohta).",
                "Only a direct-marketing suppression entry (a keyed hash of your e-mail address or phone number) stays in the marketing register, so that you are never added to campaigns again (GDPR Art 21(3)).");
        }

        var beyondUse = decisions.Where(d => d.Fate == RecordFate.BeyondUse).Select(d => d.Until!.Value).DefaultIfEmpty().Max();
        if (beyondUse != default)
        {
            var fi = beyondUse.ToString("d.M.yyyy", CultureInfo.InvariantCulture);
            var en = beyondUse.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
            return new LocalizedText(
                $"Varmuuskopioita ei voi muokata valikoiden: tietosi on merkitty käyttökelvottomiksi, niitä ei palauteta missään palautuksessa, ja ne poistuvat varmuuskopioiden kierrossa viimeistään {fi}.",
                $"Backups cannot be edited selectively: your data in them is marked beyond use, is excluded from any restore, and is gone when the backups rotate out, at the latest on {en}.");
        }

        return null;
    }
}
