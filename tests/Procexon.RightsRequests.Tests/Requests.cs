using Procexon.Contracts;
using Procexon.RightsRequests.Model;

namespace Procexon.RightsRequests.Tests;

/// <summary>Requests and fan-out messages as the tests need them.</summary>
internal static class Requests
{
    public static readonly DateTimeOffset ReceivedAt = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset VerifiedAt = new(2026, 3, 3, 9, 30, 0, TimeSpan.Zero);

    public static readonly RegisterName Customers = new("customers", new("Asiakasrekisteri", "Customer register"));
    public static readonly RegisterName Marketing = new("marketing", new("Markkinointirekisteri", "Marketing register"));
    public static readonly RegisterName Accounting = new("accounting-payroll", new("Kirjanpidon ja palkanlaskennan aineistot", "Accounting and payroll material"));
    public static readonly RegisterName Backups = new("backups", new("Edellä mainittujen rekistereiden varmuuskopiot", "Backups of the registers above"));
    public static readonly RegisterName Employees = new("employees", new("Työntekijärekisteri", "Employee register"));
    public static readonly RegisterName Suppliers = new("suppliers", new("Toimittajarekisteri", "Supplier register"));

    public static readonly LocalizedText AccountingAct = new(
        "Kirjanpitolaki (1336/1997) 2 luku 10 §: tositteet ja muu kirjanpitoaineisto 6 vuotta sen vuoden lopusta, jonka aikana tilikausi on päättynyt",
        "Accounting Act (1336/1997), chapter 2, section 10: vouchers and other accounting material 6 years from the end of the year in which the financial year ended");

    public static readonly LocalizedText BackupNote = new(
        "Varmuuskopioita ei voi muokata valikoiden: tietosi on merkitty käyttökelvottomiksi, niitä ei palauteta missään palautuksessa, ja ne poistuvat varmuuskopioiden kierrossa viimeistään 1.6.2026.",
        "Backups cannot be edited selectively: your data in them is marked beyond use, is excluded from any restore, and is gone when the backups rotate out, at the latest on 1 June 2026.");

    public static RightsRequest Erasure(string? name = "Maija Mehiläinen") => new()
    {
        Id = Guid.CreateVersion7(),
        Type = RequestType.Erasure,
        Status = RequestStatus.AwaitingVerification,
        Channel = "letter",
        ReceivedAt = ReceivedAt,
        DueOn = AnswerPeriod.DueOn(ReceivedAt),
        Subject = new SubjectIdentifiers(name, "maija.mehilainen@example.fi", "+358401234567", "010594Y9032", null, "C-1001"),
    };

    public static RightsRequest VerifiedErasure(string? name = "Maija Mehiläinen")
    {
        var request = Erasure(name);
        request.Verify(VerificationMethod.StaffIdDocument, "Anna Asiakaspalvelu", VerifiedAt);
        return request;
    }

    public static RegisterErasureOutcome Answer(
        RightsRequest request, RegisterName register, string outcome, int recordsErased,
        IReadOnlyList<RetainedData>? retained = null, LocalizedText? note = null, DateTimeOffset? at = null) =>
        new(request.Id, register.Register, register.Name, outcome, recordsErased, retained ?? [], note, at ?? VerifiedAt.AddMinutes(5));

    public static NotifiedRecipient Recipient(string slug, string fi, string en, DateTimeOffset confirmBy) =>
        new(Guid.CreateVersion7(), slug, new LocalizedText(fi, en), confirmBy);
}
