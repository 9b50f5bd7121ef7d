using Procexon.Contracts.Identifiers;

namespace Procexon.Contracts;

/// <summary>Identifiers of a data subject as a client sends them (DESIGN §5): all optional, at least one needed.</summary>
public sealed record SubjectIdentifiersInput(
    string? Name = null,
    string? Email = null,
    string? Phone = null,
    string? Hetu = null,
    string? BusinessId = null,
    string? CustomerNumber = null);

/// <summary>The same identifiers, each validated and normalised by its value type.</summary>
public sealed record ValidSubjectIdentifiers(
    string? Name,
    EmailAddress? Email,
    PhoneNumber? Phone,
    Hetu? Hetu,
    BusinessId? BusinessId,
    CustomerNumber? CustomerNumber)
{
    /// <summary>The identifiers as they travel in integration events.</summary>
    public SubjectKeys ToKeys() => new(Email?.Value, Phone?.Value, Hetu?.Value, BusinessId?.Value, CustomerNumber?.Value);

    /// <summary>
    /// Validates every identifier given; errors are keyed by field path (<c>subject.hetu</c>) for RFC 9457
    /// validation problems. The messages never repeat the value, which may be a personal identity code.
    /// </summary>
    public static ValidSubjectIdentifiers? Validate(SubjectIdentifiersInput? input, string field, IDictionary<string, string[]> errors)
    {
        if (input is null)
        {
            errors[field] = ["The subject is required: give at least one identifier (email, phone, hetu, businessId or customerNumber)."];
            return null;
        }

        string Path(string name) => field.Length == 0 ? name : $"{field}.{name}";
        var errorsBefore = errors.Count;
        var email = Check<EmailAddress>(input.Email, Path("email"), EmailAddress.TryParse, errors);
        var phone = Check<PhoneNumber>(input.Phone, Path("phone"), PhoneNumber.TryParse, errors);
        var hetu = Check<Hetu>(input.Hetu, Path("hetu"), Identifiers.Hetu.TryParse, errors);
        var businessId = Check<BusinessId>(input.BusinessId, Path("businessId"), Identifiers.BusinessId.TryParse, errors);
        var customerNumber = Check<CustomerNumber>(input.CustomerNumber, Path("customerNumber"), Identifiers.CustomerNumber.TryParse, errors);
        var name = string.IsNullOrWhiteSpace(input.Name) ? null : input.Name.Trim();
        if (name is { Length: > 200 })
        {
            errors[Path("name")] = ["The name is longer than 200 characters."];
        }

        var given = new[] { input.Email, input.Phone, input.Hetu, input.BusinessId, input.CustomerNumber };
        if (given.All(string.IsNullOrWhiteSpace))
        {
            errors[field.Length == 0 ? "subject" : field] = ["Give at least one identifier of the subject: email, phone, hetu, businessId or customerNumber."];
        }

        return errors.Count > errorsBefore ? null : new ValidSubjectIdentifiers(name, email, phone, hetu, businessId, customerNumber);
    }

    private delegate bool TryParser<T>(string? input, out T? value, out string? error) where T : class;

    private static T? Check<T>(string? input, string field, TryParser<T> parse, IDictionary<string, string[]> errors) where T : class
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        if (parse(input, out var value, out var error))
        {
            return value;
        }

        errors[field] = [error ?? "The value is not valid."];
        return null;
    }
}
