using Procexon.Contracts;

namespace Procexon.Retention.Tests;

/// <summary>Answers of the accounting-payroll register as the Registry sends them (DESIGN §6).</summary>
internal static class TestData
{
    public const string Register = "accounting-payroll";

    public static readonly LocalizedText AccountingAct = new(
        "Kirjanpitolaki (1336/1997) 2 luku 10 §",
        "Accounting Act (1336/1997), chapter 2, section 10");

    public static RetainedData Invoices(Guid subjectId, DateOnly retainUntil, int records = 3) =>
        new(subjectId, "invoices", "accounting-vouchers", AccountingAct, retainUntil, records);

    public static RetainedData Payslips(Guid subjectId, DateOnly retainUntil, int records = 12) =>
        new(subjectId, "payslips", "payroll-vouchers", AccountingAct, retainUntil, records);

    public static RegisterErasureOutcome RetainedUnderLaw(Guid requestId, params RetainedData[] retained) => new(
        requestId,
        Register,
        new LocalizedText("Kirjanpito ja palkanlaskenta", "Accounting and payroll"),
        ErasureOutcomes.RetainedUnderLaw,
        RecordsErased: 0,
        retained,
        Note: null,
        CompletedAt: DateTimeOffset.UtcNow);
}
