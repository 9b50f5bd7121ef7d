using System.Globalization;

namespace Procexon.Registry.DemoData;

/// <summary>Valid Finnish identifiers for demo data and tests: identity codes with correct check characters, Y-tunnus, phones.</summary>
public static class FinnishIdentifiers
{
    private const string CheckCharacters = "0123456789ABCDEFHJKLMNPRSTUVWXY";

    /// <summary>
    /// A valid personal identity code born on <paramref name="birthDate"/> with individual number
    /// <paramref name="individual"/> (002–899; 900–999 are temporary codes). Century sign: <c>-</c>/<c>A</c> or the newer
    /// <c>Y</c>/<c>B</c> forms when <paramref name="newSign"/> is set.
    /// </summary>
    public static string Hetu(DateOnly birthDate, int individual, bool newSign = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(individual, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(individual, 999);
        var sign = (birthDate.Year / 100) switch
        {
            18 => '+',
            19 => newSign ? 'Y' : '-',
            20 => newSign ? 'B' : 'A',
            _ => throw new ArgumentOutOfRangeException(nameof(birthDate), "Identity codes cover 1800–2099."),
        };
        var digits = birthDate.ToString("ddMMyy", CultureInfo.InvariantCulture) + individual.ToString("000", CultureInfo.InvariantCulture);
        var check = CheckCharacters[(int)(long.Parse(digits, CultureInfo.InvariantCulture) % 31)];
        return string.Create(CultureInfo.InvariantCulture, $"{digits[..6]}{sign}{digits[6..]}{check}");
    }

    /// <summary>A random valid identity code of a person born between 1940 and 2005.</summary>
    public static string RandomHetu(Random random)
    {
        var birth = new DateOnly(1940, 1, 1).AddDays(random.Next(0, 365 * 65));
        return Hetu(birth, random.Next(2, 900), newSign: random.Next(10) == 0);
    }

    /// <summary>A valid business ID (weights 7, 9, 10, 5, 8, 4, 2; remainder 1 has no check digit, so it is skipped).</summary>
    public static string BusinessId(Random random)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2];
        while (true)
        {
            var number = random.Next(1000000, 3400000);
            var digits = number.ToString("0000000", CultureInfo.InvariantCulture);
            var remainder = digits.Select((d, i) => (d - '0') * weights[i]).Sum() % 11;
            if (remainder != 1)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{digits}-{(remainder == 0 ? 0 : 11 - remainder)}");
            }
        }
    }

    /// <summary>A Finnish mobile number as people write it (<c>040 123 4567</c>); the PhoneNumber type makes it E.164.</summary>
    public static string MobilePhone(Random random)
    {
        string[] prefixes = ["040", "041", "044", "045", "046", "050"];
        return string.Create(CultureInfo.InvariantCulture, $"{prefixes[random.Next(prefixes.Length)]} {random.Next(100, 1000)} {random.Next(1000, 10000)}");
    }
}
