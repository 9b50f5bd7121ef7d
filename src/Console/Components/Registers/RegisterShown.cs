using Microsoft.Extensions.Localization;
using Procexon.Console.Resources;

namespace Procexon.Console.Components.Registers;

/// <summary>How the catalogue's pages write what the catalogue holds.</summary>
public static class RegisterShown
{
    /// <summary>The Finnish day (d.M.yyyy) of an instant in Helsinki time.</summary>
    public static string Day(this IStringLocalizer<Texts> texts, DateTimeOffset instant) =>
        texts.Date(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, ConsoleCultures.Helsinki).DateTime));

    /// <summary>The register's legal bases in words, in the order the catalogue lists them.</summary>
    public static string LegalBases(this IStringLocalizer<Texts> texts, IEnumerable<string> bases) =>
        string.Join(", ", bases.Select(basis => texts.Term("Registers_Basis", basis)));
}
