using System.Globalization;

namespace Procexon.Console.Extensions;

/// <summary>
/// Finnish first (the default), then English; and the one time zone every time is shown in. The English culture writes
/// days the Finnish way too (d.M.yyyy): the console's dates are Finnish in both languages, in its own texts and in
/// the components that format by the culture (the date pickers).
/// </summary>
public static class ConsoleCultures
{
    public static readonly string[] Supported = ["fi", "en"];

    public static readonly TimeZoneInfo Helsinki = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");

    public static readonly CultureInfo[] Cultures = [CultureInfo.GetCultureInfo("fi"), EnglishWithFinnishDates()];

    private static CultureInfo EnglishWithFinnishDates()
    {
        var english = (CultureInfo)CultureInfo.GetCultureInfo("en").Clone();
        english.DateTimeFormat.ShortDatePattern = "d.M.yyyy";
        english.DateTimeFormat.DateSeparator = ".";
        return CultureInfo.ReadOnly(english);
    }
}
