using System.Globalization;
using System.Text.RegularExpressions;

namespace Procexon.Registry.Model;

/// <summary>
/// The instant an <c>asOf</c> query names. A date (<c>2020-01-01</c>) means the end of that day in Finnish time, so
/// the catalogue "as of 10.1.2024" includes a change made that day; a date-time is taken as given (ISO 8601), in
/// Finnish time when it carries no offset.
/// </summary>
public static partial class CatalogueAsOf
{
    public static readonly TimeZoneInfo FinnishTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");

    public const string Expected =
        "a date (2020-01-01, meaning the end of that day in Finnish time) or an ISO 8601 date-time (2020-01-01T12:00:00+02:00)";

    // K takes Z, an offset or nothing; FFFFFFF takes a fraction or nothing.
    private static readonly string[] s_dateTimeFormats = ["yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static bool TryParse(string? value, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        // An unencoded '+' in a query string arrives as a space: 12:00:00+02:00 becomes "12:00:00 02:00".
        var text = SpaceForPlus().Replace(value.Trim(), "+$1");
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            if (day.Year is < 2 or > 9998)
            {
                return false;
            }

            instant = EndOfFinnishDay(day);
            return true;
        }

        if (!DateTime.TryParseExact(text, s_dateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dateTime)
            || dateTime.Year is < 2 or > 9998)
        {
            return false;
        }

        instant = dateTime.Kind == DateTimeKind.Unspecified
            ? InFinnishTime(dateTime)
            : new DateTimeOffset(dateTime.ToUniversalTime(), TimeSpan.Zero);
        return true;
    }

    /// <summary>The last instant of a Finnish calendar day (midnight in Helsinki, summer or winter time, less a tick).</summary>
    public static DateTimeOffset EndOfFinnishDay(DateOnly day) =>
        InFinnishTime(day.AddDays(1).ToDateTime(TimeOnly.MinValue)).AddTicks(-1);

    private static DateTimeOffset InFinnishTime(DateTime local) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), FinnishTime.GetUtcOffset(local));

    [GeneratedRegex(@"(?<=T[0-9:.]+) ([0-9]{2}(:?[0-9]{2})?)$")]
    private static partial Regex SpaceForPlus();
}
