using Procexon.Contracts.Identifiers;

namespace Procexon.DisclosureLog.Apis;

/// <summary>
/// <c>POST /api/disclosures</c>. The subject id is a string so that a malformed one is answered as a problem naming
/// <c>subjectId</c> rather than as an unreadable body.
/// </summary>
public sealed record RecordDisclosureBody(
    string? RecipientId,
    string? SubjectId,
    IReadOnlyList<string>? Categories,
    string? LegalBasis,
    DisclosedSubjectInput? Subject)
{
    /// <summary>
    /// Checks every field against the known recipients, categories and legal bases; errors are keyed by field path
    /// (<c>recipientId</c>, <c>subject.email</c>) and never repeat a personal identity code or an e-mail address.
    /// </summary>
    public ValidDisclosure? Validate(IReadOnlyCollection<string> knownRecipients, IDictionary<string, string[]> errors)
    {
        var recipient = RecipientId?.Trim();
        if (string.IsNullOrEmpty(recipient))
        {
            errors["recipientId"] = [$"The recipientId is required: one of {string.Join(", ", knownRecipients)}."];
        }
        else if (!knownRecipients.Contains(recipient, StringComparer.Ordinal))
        {
            errors["recipientId"] = [$"Unknown recipient '{recipient}'. Use one of: {string.Join(", ", knownRecipients)}."];
        }

        Guid subjectId = default;
        if (string.IsNullOrWhiteSpace(SubjectId))
        {
            errors["subjectId"] = ["The subjectId is required: the subject's id in the Registry."];
        }
        else if (!Guid.TryParse(SubjectId, out subjectId) || subjectId == Guid.Empty)
        {
            errors["subjectId"] = ["The subjectId is not a subject id (a non-empty GUID)."];
        }

        var categories = (Categories ?? []).Select(c => c?.Trim() ?? string.Empty).Distinct(StringComparer.Ordinal).ToList();
        var unknown = categories.Where(c => !DataCategories.IsKnown(c)).ToList();
        if (categories.Count == 0)
        {
            errors["categories"] = [$"Name at least one data category: {string.Join(", ", DataCategories.All)}."];
        }
        else if (unknown.Count > 0)
        {
            errors["categories"] = [$"Unknown data categories: {string.Join(", ", unknown.Select(c => $"'{c}'"))}. Use: {string.Join(", ", DataCategories.All)}."];
        }

        var legalBasis = LegalBasis?.Trim();
        if (string.IsNullOrEmpty(legalBasis))
        {
            errors["legalBasis"] = [$"The legalBasis is required: one of {string.Join(", ", LegalBases.All)}."];
        }
        else if (!LegalBases.IsKnown(legalBasis))
        {
            errors["legalBasis"] = [$"Unknown legal basis '{legalBasis}'. Use one of: {string.Join(", ", LegalBases.All)}."];
        }

        var subject = ValidateSubject(errors);
        return errors.Count > 0
            ? null
            : new ValidDisclosure(recipient!, subjectId, categories, legalBasis!, subject?.Email, subject?.Phone, subject?.CustomerNumber, subject?.BusinessId);
    }

    private ValidSubjectIdentifiers? ValidateSubject(IDictionary<string, string[]> errors)
    {
        if (Subject is null)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(Subject.Hetu))
        {
            errors["subject.hetu"] = ["A personal identity code is never passed to a recipient through the disclosure log; leave it out."];
        }

        var keys = new SubjectIdentifiersInput(
            Email: Subject.Email, Phone: Subject.Phone, BusinessId: Subject.BusinessId, CustomerNumber: Subject.CustomerNumber);
        // The keys are optional: an empty subject is no keys, not an error.
        return new[] { keys.Email, keys.Phone, keys.BusinessId, keys.CustomerNumber }.All(string.IsNullOrWhiteSpace)
            ? null
            : ValidSubjectIdentifiers.Validate(keys, "subject", errors);
    }
}

/// <summary>The keys a recipient may get to tell who the subject is. <c>hetu</c> is read only to be refused.</summary>
public sealed record DisclosedSubjectInput(
    string? Email = null,
    string? Phone = null,
    string? CustomerNumber = null,
    string? BusinessId = null,
    string? Hetu = null);

/// <summary>A disclosure whose every field is checked and normalised.</summary>
public sealed record ValidDisclosure(
    string Recipient,
    Guid SubjectId,
    IReadOnlyList<string> Categories,
    string LegalBasis,
    EmailAddress? Email,
    PhoneNumber? Phone,
    CustomerNumber? CustomerNumber,
    BusinessId? BusinessId);
