using System.Diagnostics.CodeAnalysis;

namespace Procexon.Contracts.Identifiers;

/// <summary>A controller's own customer number: 1–32 ASCII letters, digits and hyphens. Prints itself.</summary>
public sealed record CustomerNumber
{
    private const int MaxLength = 32;

    private CustomerNumber(string value) => Value = value;

    public string Value { get; }

    public static CustomerNumber Parse(string input) =>
        TryParse(input, out var value, out var error) ? value : throw new FormatException(error);

    public static bool TryParse(
        string? input,
        [NotNullWhen(true)] out CustomerNumber? value,
        [NotNullWhen(false)] out string? error)
    {
        value = null;
        var number = input?.Trim();

        if (string.IsNullOrEmpty(number))
        {
            error = "a customer number is required";
            return false;
        }

        if (number.Length > MaxLength)
        {
            error = $"a customer number has at most {MaxLength} characters, not {number.Length}";
            return false;
        }

        if (number.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
        {
            error = "a customer number contains only letters A–Z, digits and hyphens";
            return false;
        }

        value = new CustomerNumber(number);
        error = null;
        return true;
    }

    public override string ToString() => Value;
}
