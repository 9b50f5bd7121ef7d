using System.Globalization;
using System.Text;
using Bogus;
using Procexon.Contracts.Identifiers;

namespace Procexon.Registry.DemoData;

public sealed record DemoSubject(
    Guid Id, string Name, string? Email, string? Phone, string? Hetu, string? BusinessId, string? CustomerNumber, DateTimeOffset CreatedAt);

public sealed record DemoRecord(Guid Id, Guid SubjectId, string Register, string Category, Dictionary<string, string> Fields, DateOnly RecordedOn);

/// <summary>
/// Realistic Finnish demo subjects for all ten registers (Bogus, locale <c>fi</c>): customers with orders, invoices and
/// bank details, suppliers' contact people, marketing permissions, stakeholders at events, web-service users, phone
/// and e-mail contacts, e-mail archive entries, accounting vouchers, employees with employment and payroll records,
/// and backups. Every record uses a data category its register has in the catalogue seed and the fields the erasure
/// policy reads (<c>kind</c>, <c>employmentEnded</c>, <c>relationshipEnded</c>), so erasure and retention work on it.
/// Identifiers are valid and normalised by the value types; subject <c>n</c> of a run always gets the same ones, and
/// no two sequence numbers share an identity code, e-mail or customer number.
/// </summary>
public sealed class DemoDataGenerator
{
    // Birth days × individual numbers 002–899: room for 21 million distinct identity codes.
    private const int BirthDays = 23725;
    private const long HetuSpace = BirthDays * 898L;
    private static readonly DateOnly s_firstBirthDay = new(1940, 1, 1);
    private static readonly string[] s_domains = ["example.fi", "example.com", "example.net", "example.org"];

    private readonly Random _random;
    private readonly DateOnly _today;
    private readonly string[] _firstNames;
    private readonly string[] _lastNames;
    private readonly string[] _streets;
    private readonly string[] _cities;
    private readonly string[] _companies;
    private readonly string[] _products;
    private readonly string[] _jobTitles;
    private readonly string[] _ibans;
    private readonly string[] _events = ["Tietosuojapäivä 2025", "Asiakasilta Turku", "Webinaari: GDPR käytännössä", "Messut Helsinki", "Koulutus: kirjanpito 2024"];
    private readonly string[] _campaigns = ["Kevätkampanja", "Uutiskirje", "Joulutervehdys", "Asiakastyytyväisyyskysely", "Tuotelanseeraus"];

    public DemoDataGenerator(int seed, DateOnly today)
    {
        _random = new Random(seed);
        _today = today;
        Randomizer.Seed = new Random(seed);
        var faker = new Faker("fi");
        _firstNames = Pool(() => faker.Name.FirstName());
        _lastNames = Pool(() => faker.Name.LastName());
        _streets = Pool(() => faker.Address.StreetAddress());
        _cities = Pool(() => faker.Address.City(), 300);
        _companies = Pool(() => faker.Company.CompanyName(), 800);
        _products = Pool(() => faker.Commerce.ProductName(), 500);
        _jobTitles = Pool(() => faker.Name.JobTitle(), 300);
        _ibans = Pool(() => faker.Finance.Iban(countryCode: "FI"), 2000);
    }

    /// <summary>Subject number <paramref name="sequence"/> (unique in the database) and its records across the registers.</summary>
    public (DemoSubject Subject, List<DemoRecord> Records) Next(long sequence)
    {
        var first = Pick(_firstNames);
        var last = Pick(_lastNames);
        var name = $"{first} {last}";
        var records = new List<DemoRecord>(8);
        var id = Guid.CreateVersion7();
        var since = _today.AddDays(-_random.Next(30, 365 * 8));
        var email = EmailAddress.Parse($"{Ascii(first)}.{Ascii(last)}.{sequence.ToString(CultureInfo.InvariantCulture)}@{Pick(s_domains)}").Value;
        var phone = PhoneNumber.Parse(FinnishIdentifiers.MobilePhone(_random)).Value;
        string? hetu = null;
        string? businessId = null;
        string? customerNumber = null;

        void Add(string register, string category, DateOnly on, params (string Name, string Value)[] fields) =>
            records.Add(new DemoRecord(Guid.CreateVersion7(), id, register, category, fields.Where(f => f.Value.Length > 0).ToDictionary(f => f.Name, f => f.Value), on));

        var roll = _random.Next(100);
        if (roll < 45)
        {
            // A customer: orders, invoices in the books, often their identity code for billing, e-mails, a backup.
            customerNumber = CustomerNumber.Parse($"A{sequence.ToString("0000000", CultureInfo.InvariantCulture)}").Value;
            hetu = _random.Next(100) < 40 ? HetuFor(sequence) : null;
            Add("customers", "basic-data", since, ("address", Pick(_streets)), ("city", Pick(_cities)), ("preferredChannel", _random.Next(2) == 0 ? "email" : "phone"));
            for (var i = _random.Next(1, 4); i > 0; i--)
            {
                var orderedOn = Between(since, _today);
                var amount = Money(20, 5000);
                Add("customers", "customer-contract", orderedOn, ("order", $"Tilaus {orderedOn.Year}-{_random.Next(1, 9999)}"), ("product", Pick(_products)), ("amount", amount), ("delivery", Pick(_streets)));
                Add("accounting-payroll", "accounting-material", orderedOn.AddDays(_random.Next(0, 14)), ("invoice", _random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture)), ("amount", amount), ("iban", Pick(_ibans)));
            }

            if (hetu is not null)
            {
                Add("customers", "personal-identity-code", since, ("purpose", "laskutus"));
            }

            if (_random.Next(100) < 50)
            {
                Add("email-archive", "correspondence", Between(since, _today), ("subject", $"Re: {Pick(_products)}"), ("from", email));
            }

            if (_random.Next(100) < 10)
            {
                Add("accounting-payroll", "customer-contract", since, ("kind", "due-diligence"), ("relationshipEnded", Between(since, _today).ToString("O", CultureInfo.InvariantCulture)));
            }

            Add("customers", "consent-data", since, ("marketingConsent", _random.Next(2) == 0 ? "yes" : "no"));
            Add("backups", "backup-copies", _today.AddDays(-_random.Next(1, 90)), ("backup", "nightly"), ("system", "Finago"));
        }
        else if (roll < 60)
        {
            // Direct marketing: permission, campaigns, perhaps an event.
            Add("marketing", "direct-marketing", since, ("campaign", Pick(_campaigns)), ("newsletter", "yes"), ("interests", Pick(_products)));
            Add("marketing", "consent-data", since, ("permission", "email"), ("givenOn", since.ToString("O", CultureInfo.InvariantCulture)));
            if (_random.Next(100) < 30)
            {
                Add("marketing", "event-registrations", Between(since, _today), ("event", Pick(_events)));
            }
        }
        else if (roll < 70)
        {
            // A web-service user: account, usage data, consent.
            Add("web-users", "credentials", since, ("username", $"{Ascii(first)}{sequence % 10000}"), ("passwordHash", "argon2id$…"));
            Add("web-users", "usage-data", Between(since, _today), ("cookies", "analytics"), ("lastVisit", Between(since, _today).ToString("O", CultureInfo.InvariantCulture)));
            Add("web-users", "consent-data", since, ("cookieConsent", "statistics"));
            Add("marketing", "direct-marketing", since, ("newsletter", _random.Next(2) == 0 ? "yes" : "no"));
        }
        else if (roll < 78)
        {
            // A stakeholder met at events.
            Add("stakeholders", "basic-data", since, ("organisation", Pick(_companies)), ("title", Pick(_jobTitles)));
            for (var i = _random.Next(1, 3); i > 0; i--)
            {
                Add("stakeholders", "event-registrations", Between(since, _today), ("event", Pick(_events)), ("diet", _random.Next(4) == 0 ? "gluteeniton" : "-"));
            }
        }
        else if (roll < 85)
        {
            // A supplier's contact person (the company's business ID is not personal data, the person is).
            businessId = BusinessId.Parse(FinnishIdentifiers.BusinessId(_random)).Value;
            Add("suppliers", "basic-data", since, ("company", Pick(_companies)), ("title", Pick(_jobTitles)));
            Add("suppliers", "customer-contract", since, ("contract", $"Toimitussopimus {since.Year}"), ("product", Pick(_products)));
            Add("email-archive", "accounting-material", Between(since, _today), ("subject", $"Lasku {_random.Next(1000, 9999)}"), ("amount", Money(100, 20000)));
        }
        else if (roll < 90)
        {
            // Phone and e-mail contacts.
            Add("contacts", "basic-data", since, ("channel", _random.Next(2) == 0 ? "phone" : "email"), ("topic", $"Tarjouspyyntö: {Pick(_products)}"));
            Add("email-archive", "correspondence", Between(since, _today), ("subject", "Yhteydenottopyyntö"), ("from", email));
        }
        else
        {
            // An employee: employment, working time and holidays, payslips in the books, the identity code.
            hetu = HetuFor(sequence);
            var started = _today.AddDays(-_random.Next(200, 365 * 15));
            var ended = _random.Next(100) < 30 ? Between(started.AddDays(100), _today) : (DateOnly?)null;
            var endedText = ended?.ToString("O", CultureInfo.InvariantCulture) ?? "";
            Add("employees", "basic-data", started, ("title", Pick(_jobTitles)), ("address", Pick(_streets)), ("city", Pick(_cities)));
            Add("employees", "personal-identity-code", started, ("purpose", "palkanlaskenta"));
            Add("employees", "employment", started, ("kind", "contract"), ("started", started.ToString("O", CultureInfo.InvariantCulture)), ("employmentEnded", endedText));
            Add("employees", "employment", ended ?? _today, ("kind", "working-time"), ("employmentEnded", endedText));
            Add("employees", "employment", ended ?? _today, ("kind", "annual-holiday"), ("days", _random.Next(10, 31).ToString(CultureInfo.InvariantCulture)), ("employmentEnded", endedText));
            var salary = Money(2400, 6500);
            for (var month = 0; month < 3; month++)
            {
                var paid = (ended ?? _today).AddMonths(-month);
                Add("employees", "payroll", paid, ("payslip", paid.ToString("yyyy-MM", CultureInfo.InvariantCulture)), ("gross", salary), ("iban", Pick(_ibans)));
            }

            Add("accounting-payroll", "payroll", (ended ?? _today).AddMonths(-1), ("voucher", "palkkajakso"), ("gross", salary));
            Add("backups", "backup-copies", _today.AddDays(-_random.Next(1, 90)), ("backup", "weekly"), ("system", "palkanlaskenta"));
        }

        var subject = new DemoSubject(id, name, email, phone, hetu, businessId, customerNumber, DateTimeOffset.UtcNow);
        return (subject, records);
    }

    /// <summary>A distinct valid identity code for every sequence number, scattered over birth days (a permutation of the space).</summary>
    public static string HetuFor(long sequence)
    {
        var scattered = (sequence % HetuSpace * 7919 + 12345) % HetuSpace;
        var code = FinnishIdentifiers.Hetu(s_firstBirthDay.AddDays((int)(scattered % BirthDays)), 2 + (int)(scattered / BirthDays), newSign: scattered % 7 == 0);
        return Hetu.Parse(code).Value;
    }

    private static string[] Pool(Func<string> make, int size = 1000) => [.. Enumerable.Range(0, size).Select(_ => make()).Distinct()];

    private string Pick(string[] pool) => pool[_random.Next(pool.Length)];

    private DateOnly Between(DateOnly from, DateOnly to) => from.AddDays(_random.Next(0, Math.Max(1, to.DayNumber - from.DayNumber)));

    private string Money(int min, int max) => (_random.Next(min * 100, max * 100) / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>An e-mail local part from a Finnish name: ä → a, ö → o, å → a, nothing but letters.</summary>
    private static string Ascii(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z')
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.Length == 0 ? "asiakas" : builder.ToString();
    }
}
