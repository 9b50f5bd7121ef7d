using Procexon.Contracts.Identifiers;

namespace Procexon.Contracts;

/// <summary>One correction as a client sends it: <c>{ "field": "email", "value": "…" }</c>.</summary>
public sealed record CorrectionInput(string? Field, string? Value);

/// <summary>Validates the corrections of a rectification request (Art 16), each value by its field's value type.</summary>
public static class Corrections
{
    /// <summary>Subject identifiers the registry holds on the subject row and in record fields.</summary>
    public static IReadOnlyList<string> IdentifierFields { get; } = ["name", "email", "phone"];

    /// <summary>Record fields a subject may correct, besides the identifiers.</summary>
    public static IReadOnlyList<string> RecordFields { get; } = ["address", "title", "organisation", "preferredChannel"];

    public static IReadOnlyList<string> Fields { get; } = [.. IdentifierFields, .. RecordFields];

    private const int MaxCorrections = 20;
    private const int MaxValueLength = 400;

    /// <summary>
    /// The corrections normalised (an e-mail lower-cased, a phone in E.164), or null with errors keyed by path
    /// (<c>corrections[0].value</c>). Messages never repeat the value.
    /// </summary>
    public static IReadOnlyList<FieldCorrection>? Validate(IReadOnlyList<CorrectionInput>? input, string field, IDictionary<string, string[]> errors)
    {
        if (input is null || input.Count == 0)
        {
            errors[field] = [$"Give at least one correction: {{ \"field\": one of {string.Join(", ", Fields)}, \"value\" }}."];
            return null;
        }

        if (input.Count > MaxCorrections)
        {
            errors[field] = [$"At most {MaxCorrections} corrections."];
            return null;
        }

        var errorsBefore = errors.Count;
        var valid = new List<FieldCorrection>();
        for (var i = 0; i < input.Count; i++)
        {
            var path = $"{field}[{i}]";
            var name = Fields.FirstOrDefault(f => f.Equals(input[i]?.Field?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                errors[$"{path}.field"] = [$"Unknown field. Use one of: {string.Join(", ", Fields)}."];
                continue;
            }

            if (valid.Any(c => c.Field == name))
            {
                errors[$"{path}.field"] = [$"The field {name} is corrected twice."];
                continue;
            }

            var value = input[i]?.Value?.Trim();
            var (normalised, error) = name switch
            {
                "email" => EmailAddress.TryParse(value, out var email, out var e) ? (email.Value, null) : ((string?)null, e),
                "phone" => PhoneNumber.TryParse(value, out var phone, out var p) ? (phone.Value, null) : (null, p),
                _ when string.IsNullOrEmpty(value) => (null, "The corrected value is required."),
                _ when value.Length > MaxValueLength => (null, $"The corrected value is longer than {MaxValueLength} characters."),
                _ => (value, (string?)null),
            };
            if (normalised is null)
            {
                errors[$"{path}.value"] = [error ?? "The value is not valid."];
                continue;
            }

            valid.Add(new FieldCorrection(name, normalised));
        }

        return errors.Count > errorsBefore ? null : valid;
    }
}
