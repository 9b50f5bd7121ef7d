using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Procexon.Contracts.Identifiers;

/// <summary>
/// A Finnish personal identity code (henkilötunnus), DDMMYYCZZZQ, validated and normalised to upper case.
/// Sensitive: <see cref="ToString"/> never prints it; read <see cref="Value"/> only to store or compare it.
/// </summary>
public sealed record Hetu
{
    private const string CheckCharacters = "0123456789ABCDEFHJKLMNPRSTUVWXY";
    private const int Length = 11;

    private Hetu(string value, DateOnly birthDate, bool isTemporary)
    {
        Value = value;
        BirthDate = birthDate;
        IsTemporary = isTemporary;
    }

    /// <summary>All 11 characters; the century sign tells people apart, so it is part of the value.</summary>
    public string Value { get; }

    public DateOnly BirthDate { get; }

    /// <summary>True for individual numbers 900–999, which are given as temporary codes.</summary>
    public bool IsTemporary { get; }

    public static Hetu Parse(string input) =>
        TryParse(input, out var value, out var error) ? value : throw new FormatException(error);

    public static bool TryParse(
        string? input,
        [NotNullWhen(true)] out Hetu? value,
        [NotNullWhen(false)] out string? error)
    {
        value = null;
        var code = input?.Trim().ToUpperInvariant();

        // Messages never echo the input: it may be a real person's code.
        if (string.IsNullOrEmpty(code))
        {
            error = "a personal identity code is required";
            return false;
        }

        if (code.Length != Length)
        {
            error = $"a personal identity code has {Length} characters, not {code.Length}";
            return false;
        }

        if (!AllDigits(code.AsSpan(0, 6)))
        {
            error = "the first six characters must be digits (the date of birth, DDMMYY)";
            return false;
        }

        if (CenturyOf(code[6]) is not int century)
        {
            error = "the seventh character must be a century sign: +, -, Y, X, W, V, U, A, B, C, D, E or F";
            return false;
        }

        if (!AllDigits(code.AsSpan(7, 3)))
        {
            error = "the eighth to tenth characters must be digits (the individual number)";
            return false;
        }

        var day = Number(code.AsSpan(0, 2));
        var month = Number(code.AsSpan(2, 2));
        var year = century + Number(code.AsSpan(4, 2));
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            error = $"the date {day:00}.{month:00}.{year:0000} does not exist";
            return false;
        }

        var individualNumber = Number(code.AsSpan(7, 3));
        if (individualNumber < 2)
        {
            error = "the individual number must be 002–899, or 900–999 for a temporary code";
            return false;
        }

        if (!CheckCharacters.Contains(code[10], StringComparison.Ordinal))
        {
            error = "the check character must be a digit or a letter A–Y other than G, I, O or Q";
            return false;
        }

        // The century sign does not enter the checksum.
        var checksumInput = Number(code.AsSpan(0, 6)) * 1000 + individualNumber;
        if (CheckCharacters[checksumInput % 31] != code[10])
        {
            error = "the check character does not match";
            return false;
        }

        value = new Hetu(code, new DateOnly(year, month, day), individualNumber >= 900);
        error = null;
        return true;
    }

    /// <summary>Masked: only the century sign shows, never a digit.</summary>
    public override string ToString() => $"******{Value[6]}****";

    private static int? CenturyOf(char sign) => sign switch
    {
        '+' => 1800,
        '-' or 'Y' or 'X' or 'W' or 'V' or 'U' => 1900,
        'A' or 'B' or 'C' or 'D' or 'E' or 'F' => 2000,
        _ => null,
    };

    private static bool AllDigits(ReadOnlySpan<char> span) => !span.ContainsAnyExceptInRange('0', '9');

    private static int Number(ReadOnlySpan<char> digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
