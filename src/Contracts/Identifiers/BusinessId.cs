using System.Diagnostics.CodeAnalysis;

namespace Procexon.Contracts.Identifiers;

/// <summary>A Finnish business ID (Y-tunnus), NNNNNNN-C. Not personal data, so it prints itself.</summary>
public sealed record BusinessId
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2];

    private BusinessId(string value) => Value = value;

    public string Value { get; }

    public static BusinessId Parse(string input) =>
        TryParse(input, out var value, out var error) ? value : throw new FormatException(error);

    public static bool TryParse(
        string? input,
        [NotNullWhen(true)] out BusinessId? value,
        [NotNullWhen(false)] out string? error)
    {
        value = null;
        var id = input?.Trim();

        if (string.IsNullOrEmpty(id))
        {
            error = "a business ID is required";
            return false;
        }

        if (id.Length != 9 || id[7] != '-' || id.AsSpan(0, 7).ContainsAnyExceptInRange('0', '9') || !char.IsAsciiDigit(id[8]))
        {
            error = "a business ID has the form NNNNNNN-C: seven digits, a hyphen and a check digit";
            return false;
        }

        var sum = 0;
        for (var i = 0; i < Weights.Length; i++)
        {
            sum += (id[i] - '0') * Weights[i];
        }

        var remainder = sum % 11;
        if (remainder == 1)
        {
            error = "the seven digits give remainder 1, which no business ID can have";
            return false;
        }

        var check = remainder == 0 ? 0 : 11 - remainder;
        if (id[8] - '0' != check)
        {
            error = "the check digit does not match";
            return false;
        }

        value = new BusinessId(id);
        error = null;
        return true;
    }

    public override string ToString() => Value;
}
