using System.Globalization;

namespace Procexon.Console.Extensions;

/// <summary>Finnish first (the default), then English; and the one time zone every time is shown in.</summary>
public static class ConsoleCultures
{
    public static readonly string[] Supported = ["fi", "en"];

    public static readonly TimeZoneInfo Helsinki = TimeZoneInfo.FindSystemTimeZoneById("Europe/Helsinki");

    public static CultureInfo[] Cultures => [.. Supported.Select(CultureInfo.GetCultureInfo)];
}
