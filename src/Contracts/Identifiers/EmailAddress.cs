using System.Diagnostics.CodeAnalysis;

namespace Procexon.Contracts.Identifiers;

/// <summary>
/// An e-mail address, trimmed and lower-cased whole (local part too) so that one address finds one person.
/// Personal data: <see cref="ToString"/> masks the local part.
/// </summary>
public sealed record EmailAddress
{
    private const int MaxLength = 254;

    private EmailAddress(string value) => Value = value;

    public string Value { get; }

    public static EmailAddress Parse(string input) =>
        TryParse(input, out var value, out var error) ? value : throw new FormatException(error);

    [SuppressMessage("Globalization", "CA1308:Normalize strings to uppercase", Justification = "E-mail addresses are conventionally stored in lower case.")]
    public static bool TryParse(
        string? input,
        [NotNullWhen(true)] out EmailAddress? value,
        [NotNullWhen(false)] out string? error)
    {
        value = null;
        var address = input?.Trim().ToLowerInvariant();

        if (string.IsNullOrEmpty(address))
        {
            error = "an e-mail address is required";
            return false;
        }

        if (address.Length > MaxLength)
        {
            error = $"an e-mail address has at most {MaxLength} characters, not {address.Length}";
            return false;
        }

        if (address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            error = "an e-mail address cannot contain whitespace";
            return false;
        }

        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || at != address.LastIndexOf('@'))
        {
            error = "an e-mail address has exactly one '@'";
            return false;
        }

        if (at == 0)
        {
            error = "the part before '@' is empty";
            return false;
        }

        var domain = address[(at + 1)..];
        if (domain.Length == 0)
        {
            error = "the domain after '@' is empty";
            return false;
        }

        if (!domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.'))
        {
            error = "the domain after '@' must contain a dot between its labels";
            return false;
        }

        value = new EmailAddress(address);
        error = null;
        return true;
    }

    /// <summary>Masked: the first character of the local part, then the domain ("m***@example.com").</summary>
    public override string ToString()
    {
        var firstLength = char.IsHighSurrogate(Value[0]) ? 2 : 1;
        return string.Concat(Value.AsSpan(0, firstLength), "***", Value.AsSpan(Value.IndexOf('@', StringComparison.Ordinal)));
    }
}
