using System.Text.RegularExpressions;

namespace Procexon.Registry.Model;

/// <summary>
/// The body of <c>PUT /api/registers/{register}</c> and <c>POST /api/registers</c>: the register's whole description in
/// the shape <c>GET</c> answers with, why it changes, and for an edit the version the editor read (optimistic
/// concurrency), for a new register its slug. Who changes it comes from the caller's token, never from the body. Every
/// field is nullable so that a missing one is answered as a problem naming it rather than as an unreadable body.
/// </summary>
public sealed partial record EditRegisterBody(
    LocalizedTextInput? Name,
    LocalizedTextInput? Description,
    IReadOnlyList<PurposeInput?>? Purposes,
    IReadOnlyList<string?>? LegalBases,
    IReadOnlyList<CodedNameInput?>? DataCategories,
    IReadOnlyList<CodedNameInput?>? Sources,
    LocalizedTextInput? Retention,
    IReadOnlyList<string?>? RetentionRules,
    IReadOnlyList<string?>? Recipients,
    TransferPolicyInput? TransfersOutsideEuEea,
    LocalizedTextInput? OnErasure,
    string? ChangeNote,
    int? ExpectedVersion,
    string? Slug = null)
{
    public const int MaxChangeNoteLength = 2000;

    /// <summary>For a new register: its slug, lower-case words joined by hyphens, 2–64 characters (it names queues and URLs).</summary>
    public string? ValidSlug(IDictionary<string, string[]> errors)
    {
        var slug = Slug?.Trim();
        if (slug is null || slug.Length is < 2 or > 64 || !SlugPattern().IsMatch(slug))
        {
            errors["slug"] = ["Give the register's slug: 2–64 lower-case letters and digits in words joined by hyphens (e.g. event-participants)."];
            return null;
        }

        return slug;
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    /// <summary>
    /// Checks the description against the notice's vocabulary and the edit's own fields; errors are keyed by field path
    /// (<c>name.fi</c>, <c>purposes[1].legalBasis</c>, <c>transfersOutsideEuEea.safeguard</c>) for RFC 9457.
    /// <paramref name="changedBy"/> is the caller from the token (<see cref="AuthenticationExtensions.Actor"/>).
    /// </summary>
    public RegisterEdit? Validate(string changedBy, IDictionary<string, string[]> errors)
    {
        var check = new DescriptionCheck(errors);
        var errorsBefore = errors.Count;

        var name = check.Text(Name, "name");
        var description = check.Text(Description, "description");
        var legalBases = check.Codes(LegalBases, "legalBases", "legal basis", Contracts.LegalBases.All, atLeastOne: true);
        var purposes = check.Purposes(Purposes, "purposes", legalBases);
        var categories = check.CodedNames(DataCategories, "dataCategories", "data category", Contracts.DataCategories.All);
        var sources = check.CodedNames(Sources, "sources", "source", RegisterSources.All);
        var retention = check.Text(Retention, "retention");
        var retentionRules = check.Slugs(RetentionRules, "retentionRules", "retention rule");
        var recipients = check.Slugs(Recipients, "recipients", "recipient");
        var transfers = check.Transfers(TransfersOutsideEuEea, "transfersOutsideEuEea");
        var onErasure = check.Text(OnErasure, "onErasure");
        var changeNote = check.Required(ChangeNote, "changeNote", MaxChangeNoteLength, "Say what changes and why");
        if (ExpectedVersion is null)
        {
            check.Add("expectedVersion", "Give the version you edited (the register's version as read), so that a change made meanwhile is not overwritten.");
        }
        else if (ExpectedVersion < 1)
        {
            check.Add("expectedVersion", "Versions start at 1.");
        }

        if (errors.Count > errorsBefore)
        {
            return null;
        }

        return new RegisterEdit(
            new RegisterDescription(name!, description!, purposes!, legalBases!, categories!, sources!, retention!,
                retentionRules!, recipients!, transfers!, onErasure!),
            changedBy,
            changeNote!,
            ExpectedVersion!.Value);
    }
}

public sealed record LocalizedTextInput(string? Fi, string? En);

public sealed record PurposeInput(string? LegalBasis, LocalizedTextInput? Text);

public sealed record CodedNameInput(string? Code, LocalizedTextInput? Name);

public sealed record TransferPolicyInput(bool? Possible, LocalizedTextInput? Safeguard);

/// <summary>A checked edit: the new description, trimmed, who made it (from the token), why, on top of which version.</summary>
public sealed record RegisterEdit(RegisterDescription Description, string ChangedBy, string ChangeNote, int ExpectedVersion);

/// <summary>The rules of a register description, each error added under its field path.</summary>
internal sealed partial class DescriptionCheck(IDictionary<string, string[]> errors)
{
    public const int MaxTextLength = 4000;
    public const int MaxSlugLength = 64;
    public const int MaxEntries = 100;

    public void Add(string path, string message) =>
        errors[path] = errors.TryGetValue(path, out var earlier) ? [.. earlier, message] : [message];

    /// <summary>A text shown in both languages: each non-empty and at most 4000 characters.</summary>
    public LocalizedText? Text(LocalizedTextInput? input, string path)
    {
        if (input is null)
        {
            Add(path, "Required: the text in Finnish (fi) and English (en).");
            return null;
        }

        var fi = Language(input.Fi, $"{path}.fi", "Finnish");
        var en = Language(input.En, $"{path}.en", "English");
        return fi is null || en is null ? null : new LocalizedText(fi, en);
    }

    public string? Required(string? value, string path, int maxLength, string what)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            Add(path, $"Required. {what} (at most {maxLength} characters).");
            return null;
        }

        if (text.Length > maxLength)
        {
            Add(path, $"At most {maxLength} characters; this has {text.Length}.");
            return null;
        }

        return text;
    }

    /// <summary>Codes from a closed vocabulary (legal bases), each once.</summary>
    public List<string>? Codes(IReadOnlyList<string?>? input, string path, string what, IReadOnlyList<string> known, bool atLeastOne)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return Entries(input, path, what, atLeastOne, (value, itemPath, index) =>
            Code(value, itemPath, index, what, known, seen));
    }

    /// <summary>Data categories or sources: a known code, each once, and its name in both languages.</summary>
    public List<CodedName>? CodedNames(IReadOnlyList<CodedNameInput?>? input, string path, string what, IReadOnlyList<string> known)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return Entries(input, path, what, atLeastOne: true, (item, itemPath, index) =>
        {
            var code = Code(item.Code, $"{itemPath}.code", index, what, known, seen);
            var name = Text(item.Name, $"{itemPath}.name");
            return code is null || name is null ? null : new CodedName(code, name);
        });
    }

    /// <summary>
    /// Identifiers other services own (recipients in DisclosureLog, retention rules in Retention): only their shape,
    /// a lowercase kebab-case slug, and that each is listed once.
    /// </summary>
    public List<string>? Slugs(IReadOnlyList<string?>? input, string path, string what)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return Entries(input, path, what, atLeastOne: false, (value, itemPath, index) =>
        {
            var slug = value.Trim();
            if (!Slug().IsMatch(slug) || slug.Length > MaxSlugLength)
            {
                Add(itemPath, $"A {what} is named by a lowercase kebab-case slug of at most {MaxSlugLength} characters (finago, accounting-firm).");
                return null;
            }

            return Once(slug, itemPath, index, path, seen) ? slug : null;
        });
    }

    /// <summary>Purposes, each under a legal basis that the register lists (<paramref name="legalBases"/>, as checked).</summary>
    public List<Purpose>? Purposes(IReadOnlyList<PurposeInput?>? input, string path, IReadOnlyList<string>? legalBases) =>
        Entries(input, path, "purpose", atLeastOne: true, (item, itemPath, _) =>
        {
            var basisPath = $"{itemPath}.legalBasis";
            var basis = item.LegalBasis?.Trim();
            if (string.IsNullOrEmpty(basis))
            {
                Add(basisPath, "Required: the legal basis of this purpose, one of the register's legalBases.");
                basis = null;
            }
            else if (!LegalBases.IsKnown(basis))
            {
                Add(basisPath, $"Unknown legal basis '{basis}'. Use one of: {string.Join(", ", LegalBases.All)}.");
                basis = null;
            }
            else if (legalBases is not null && !legalBases.Contains(basis, StringComparer.Ordinal))
            {
                Add(basisPath, $"'{basis}' is not among the register's legalBases ({string.Join(", ", legalBases)}): add it there or choose one of them.");
                basis = null;
            }

            var text = Text(item.Text, $"{itemPath}.text");
            return basis is null || text is null ? null : new Purpose(basis, text);
        });

    public TransferPolicy? Transfers(TransferPolicyInput? input, string path)
    {
        if (input is null)
        {
            Add(path, "Required: whether data may move outside the EU/EEA (possible) and, if so, the safeguard.");
            return null;
        }

        if (input.Possible is null)
        {
            Add($"{path}.possible", "Required: true if data may move outside the EU/EEA, otherwise false.");
            return null;
        }

        if (input.Possible.Value && input.Safeguard is null)
        {
            Add($"{path}.safeguard", "A transfer outside the EU/EEA needs its safeguard (GDPR Chapter V), in Finnish and English.");
            return null;
        }

        var safeguard = input.Safeguard is null ? null : Text(input.Safeguard, $"{path}.safeguard");
        return input.Safeguard is not null && safeguard is null ? null : new TransferPolicy(input.Possible.Value, safeguard);
    }

    private string? Language(string? value, string path, string language)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            Add(path, $"The {language} text is required.");
            return null;
        }

        if (text.Length > MaxTextLength)
        {
            Add(path, $"At most {MaxTextLength} characters; this has {text.Length}.");
            return null;
        }

        return text;
    }

    private string? Code(string? value, string path, int index, string what, IReadOnlyList<string> known, Dictionary<string, int> seen)
    {
        var code = value?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            Add(path, $"Required: a {what}, one of {string.Join(", ", known)}.");
            return null;
        }

        if (!known.Contains(code, StringComparer.Ordinal))
        {
            Add(path, $"Unknown {what} '{code}'. Use one of: {string.Join(", ", known)}.");
            return null;
        }

        return Once(code, path, index, ListPath(path), seen) ? code : null;
    }

    private bool Once(string code, string path, int index, string listPath, Dictionary<string, int> seen)
    {
        if (seen.TryGetValue(code, out var first))
        {
            Add(path, $"'{code}' is listed twice (first at {listPath}[{first}]).");
            return false;
        }

        seen[code] = index;
        return true;
    }

    /// <summary>Checks each entry of a list; the list is null when the list or any entry is not valid.</summary>
    private List<TOut>? Entries<TIn, TOut>(
        IReadOnlyList<TIn?>? input, string path, string what, bool atLeastOne, Func<TIn, string, int, TOut?> check)
        where TIn : class
        where TOut : class
    {
        if (input is null || (atLeastOne && input.Count == 0))
        {
            Add(path, atLeastOne ? $"Required: at least one {what}." : $"Required: the list of {what}s (it may be empty).");
            return null;
        }

        if (input.Count > MaxEntries)
        {
            Add(path, $"At most {MaxEntries} entries; this has {input.Count}.");
            return null;
        }

        var valid = new List<TOut>(input.Count);
        for (var i = 0; i < input.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (input[i] is not { } item)
            {
                Add(itemPath, $"Required: a {what}, not null.");
                continue;
            }

            if (check(item, itemPath, i) is { } checkedItem)
            {
                valid.Add(checkedItem);
            }
        }

        return valid.Count == input.Count ? valid : null;
    }

    /// <summary><c>dataCategories[2].code</c> → <c>dataCategories</c>; <c>legalBases[1]</c> → <c>legalBases</c>.</summary>
    private static string ListPath(string path) => path[..path.LastIndexOf('[')];

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();
}
