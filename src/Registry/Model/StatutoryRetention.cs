namespace Procexon.Registry.Model;

/// <summary>
/// The Finnish statutory periods that keep data after an erasure request (DESIGN §6). Rule ids are those of the
/// Retention service's rules, which schedule the erasure when the period ends. The financial year is the calendar
/// year.
/// </summary>
public static class StatutoryRetention
{
    public static readonly LocalizedText AccountingActVouchers = new(
        "Kirjanpitolaki (1336/1997) 2 luku 10 §: tositteet ja muu kirjanpitoaineisto 6 vuotta sen vuoden lopusta, jonka aikana tilikausi on päättynyt",
        "Accounting Act (1336/1997), chapter 2, section 10: vouchers and other accounting material 6 years from the end of the year in which the financial year ended");

    public static readonly LocalizedText AmlCustomerDueDiligence = new(
        "Rahanpesulaki (444/2017) 3 luku 3 §: asiakkaan tuntemistiedot 5 vuotta asiakassuhteen päättymisestä",
        "Act on Preventing Money Laundering and Terrorist Financing (444/2017), chapter 3, section 3: customer due-diligence data 5 years from the end of the customer relationship");

    public static readonly LocalizedText EmploymentCertificate = new(
        "Työsopimuslaki (55/2001) 6 luku 7 §: työsuhteen kesto ja työtehtävät työtodistusta varten 10 vuotta työsuhteen päättymisestä",
        "Employment Contracts Act (55/2001), chapter 6, section 7: duration and duties of employment for a certificate, 10 years after the employment ended");

    public static readonly LocalizedText WorkingHours = new(
        "Työaikalaki (872/2019) 32 §: työaikakirjanpito 2 vuotta",
        "Working Hours Act (872/2019), section 32: working-time records 2 years");

    public static readonly LocalizedText AnnualHolidays = new(
        "Vuosilomalaki (162/2005) 29 §: vuosilomakirjanpito 2 vuotta",
        "Annual Holidays Act (162/2005), section 29: annual-holiday records 2 years");

    public static readonly LocalizedText BackupRotation = new(
        "Varmuuskopioiden kierto: varmuuskopio poistuu kierrossa 90 päivän kuluttua",
        "Backup rotation: a backup is overwritten 90 days after it was taken");

    /// <summary>Vouchers and correspondence: 6 years from the end of the calendar year of the record.</summary>
    public static DateOnly VoucherPeriodEnds(DateOnly recordedOn) => new(recordedOn.Year + 6, 12, 31);

    public static DateOnly YearsAfter(DateOnly start, int years) => start.AddYears(years);
}
