using System.Diagnostics.CodeAnalysis;

namespace Procexon.Contracts.Identifiers;

/// <summary>
/// A phone number normalised to E.164 ("+358401234567"). Finnish national forms ("040 123 4567") get +358.
/// Personal data: <see cref="ToString"/> shows only the Finnish country code and the last two digits.
/// </summary>
public sealed record PhoneNumber
{
    private const string FinnishPrefix = "358";
    private const int MinDigits = 8;
    private const int MaxDigits = 15;
    private const int VisibleDigits = 2;

    private PhoneNumber(string value) => Value = value;

    public string Value { get; }

    public static PhoneNumber Parse(string input) =>
        TryParse(input, out var value, out var error) ? value : throw new FormatException(error);

    public static bool TryParse(
        string? input,
        [NotNullWhen(true)] out PhoneNumber? value,
        [NotNullWhen(false)] out string? error)
    {
        value = null;

        if (string.IsNullOrWhiteSpace(input))
        {
            error = "a phone number is required";
            return false;
        }

        var compact = Strip(input);
        string digits;
        if (compact.StartsWith('+'))
        {
            digits = compact[1..];
        }
        else if (compact.StartsWith("00", StringComparison.Ordinal))
        {
            digits = compact[2..];
        }
        else if (compact.StartsWith('0'))
        {
            // A Finnish national number: the trunk 0 gives way to the country code.
            digits = FinnishPrefix + compact[1..];
        }
        else
        {
            error = "a phone number starts with + or 00 and a country code, or with 0 for a Finnish number";
            return false;
        }

        if (digits.Length == 0 || digits.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            error = "a phone number contains only digits after an initial + (spaces, dashes, dots and parentheses are ignored)";
            return false;
        }

        if (digits[0] == '0')
        {
            error = "a country code cannot start with 0";
            return false;
        }

        // "+358 040 …" keeps the trunk 0 by mistake; Finnish numbers never start with 0 after the country code.
        if (digits.StartsWith(FinnishPrefix + "0", StringComparison.Ordinal))
        {
            digits = FinnishPrefix + digits[(FinnishPrefix.Length + 1)..];
        }

        if (digits.Length is < MinDigits or > MaxDigits)
        {
            error = $"a phone number has {MinDigits}–{MaxDigits} digits with its country code, not {digits.Length}";
            return false;
        }

        value = new PhoneNumber("+" + digits);
        error = null;
        return true;
    }

    /// <summary>Masked: "+358*******67" for Finnish numbers, "+*********78" for others.</summary>
    public override string ToString()
    {
        var shown = Value.StartsWith("+" + FinnishPrefix, StringComparison.Ordinal) ? 1 + FinnishPrefix.Length : 1;
        return string.Concat(
            Value.AsSpan(0, shown),
            new string('*', Value.Length - shown - VisibleDigits),
            Value.AsSpan(Value.Length - VisibleDigits));
    }

    private static string Strip(string input)
    {
        var compact = string.Concat(input.Where(c => !char.IsWhiteSpace(c)));

        // "+358 (0)40 …": the bracketed trunk 0 is not dialled from abroad.
        if (compact.StartsWith('+') || compact.StartsWith("00", StringComparison.Ordinal))
        {
            compact = compact.Replace("(0)", string.Empty, StringComparison.Ordinal);
        }

        return string.Concat(compact.Where(c => c is not ('-' or '.' or '(' or ')')));
    }
}
