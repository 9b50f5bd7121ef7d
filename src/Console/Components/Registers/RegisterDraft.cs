using System.Text.RegularExpressions;

namespace Procexon.Console.Components.Registers;

/// <summary>
/// A register description as its editor holds it while staff change it: texts in both languages and lists whose rows
/// are added and removed. Rows are objects, not paths, so that removing one keeps what the others say; the body sent is
/// built from the rows as they then stand, and the API's problems name them by their index in it.
/// </summary>
public sealed partial class RegisterDraft
{
    public TextDraft Name { get; private init; } = new();

    public TextDraft Description { get; private init; } = new();

    /// <summary>In the register's order; a basis ticked anew goes last, so that an edit reorders nothing it did not touch.</summary>
    public IReadOnlyList<string> LegalBases => _legalBases;

    private List<string> _legalBases = [];
    private List<string> _readLegalBases = [];

    public List<PurposeDraft> Purposes { get; private init; } = [];

    public List<CodedDraft> DataCategories { get; private init; } = [];

    public List<CodedDraft> Sources { get; private init; } = [];

    public TextDraft Retention { get; private init; } = new();

    public List<SlugDraft> RetentionRules { get; private init; } = [];

    public List<SlugDraft> Recipients { get; private init; } = [];

    public bool TransfersPossible { get; set; }

    public TextDraft Safeguard { get; private init; } = new();

    public TextDraft OnErasure { get; private init; } = new();

    public static RegisterDraft Of(RegisterDescription register) => new()
    {
        Name = TextDraft.Of(register.Name),
        Description = TextDraft.Of(register.Description),
        _legalBases = [.. register.LegalBases],
        _readLegalBases = [.. register.LegalBases],
        Purposes = [.. register.Purposes.Select(p => new PurposeDraft { LegalBasis = p.LegalBasis, Text = TextDraft.Of(p.Text) })],
        DataCategories = [.. register.DataCategories.Select(CodedDraft.Of)],
        Sources = [.. register.Sources.Select(CodedDraft.Of)],
        Retention = TextDraft.Of(register.Retention),
        RetentionRules = [.. register.RetentionRules.Select(r => new SlugDraft { Value = r })],
        Recipients = [.. register.Recipients.Select(r => new SlugDraft { Value = r })],
        TransfersPossible = register.TransfersOutsideEuEea.Possible,
        Safeguard = TextDraft.Of(register.TransfersOutsideEuEea.Safeguard),
        OnErasure = TextDraft.Of(register.OnErasure),
    };

    /// <summary>Ticks or unticks a legal basis; one ticked again takes back its place among those the register had.</summary>
    public void Choose(string basis, bool chosen)
    {
        _legalBases.Remove(basis);
        if (chosen)
        {
            _legalBases.Add(basis);
        }

        // Stable: those ticked anew stay in the order they were ticked.
        _legalBases = [.. _legalBases.OrderBy(b => _readLegalBases.IndexOf(b) is var at and >= 0 ? at : int.MaxValue)];
    }

    /// <summary>Whether the editor shows the API's problem with <paramref name="field"/> beside a field of its own.</summary>
    public static bool IsShown(string field) => ShownField().IsMatch(field);

    /// <summary>
    /// The edit's body. A safeguard left blank is sent as none, and the API says when a possible transfer needs one.
    /// </summary>
    public RegisterEditBody Body(string? changeNote, int expectedVersion) => new(
        Name.Text,
        Description.Text,
        [.. Purposes.Select(p => new RegisterPurpose(p.LegalBasis ?? "", p.Text.Text))],
        [.. LegalBases],
        [.. DataCategories.Select(c => c.Coded)],
        [.. Sources.Select(c => c.Coded)],
        Retention.Text,
        [.. RetentionRules.Select(r => r.Value?.Trim() ?? "")],
        [.. Recipients.Select(r => r.Value?.Trim() ?? "")],
        new RegisterTransfers(TransfersPossible, Safeguard.IsBlank ? null : Safeguard.Text),
        OnErasure.Text,
        string.IsNullOrWhiteSpace(changeNote) ? null : changeNote.Trim(),
        expectedVersion);

    // The texts (name.fi…), the lists and choices (legalBases, sources…), and each row's fields (purposes[0].legalBasis,
    // sources[1].name.en, recipients[2]…).
    [GeneratedRegex(@"^(changeNote|legalBases|purposes|dataCategories|sources|retentionRules|recipients|transfersOutsideEuEea\.(possible|safeguard)"
        + @"|(name|description|retention|onErasure|transfersOutsideEuEea\.safeguard)\.(fi|en)"
        + @"|purposes\[\d+\]\.(legalBasis|text\.(fi|en))|(dataCategories|sources)\[\d+\]\.(code|name\.(fi|en))|(retentionRules|recipients)\[\d+\])$")]
    private static partial Regex ShownField();
}

/// <summary>A text in Finnish and English as typed.</summary>
public sealed class TextDraft
{
    public string? Fi { get; set; }

    public string? En { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Fi) && string.IsNullOrWhiteSpace(En);

    public LocalizedText Text => new(Fi ?? "", En ?? "");

    public static TextDraft Of(LocalizedText? text) => new() { Fi = text?.Fi, En = text?.En };

    public string? In(string language) => language == "fi" ? Fi : En;

    public void Set(string language, string? value)
    {
        if (language == "fi")
        {
            Fi = value;
        }
        else
        {
            En = value;
        }
    }
}

public sealed class PurposeDraft
{
    public string? LegalBasis { get; set; }

    public TextDraft Text { get; init; } = new();
}

/// <summary>A data category or a source: a code of the notice's vocabulary and the register's name for it.</summary>
public sealed class CodedDraft
{
    public string? Code { get; set; }

    public TextDraft Name { get; init; } = new();

    public RegisterCodedName Coded => new(Code ?? "", Name.Text);

    public static CodedDraft Of(RegisterCodedName coded) => new() { Code = coded.Code, Name = TextDraft.Of(coded.Name) };
}

/// <summary>A retention rule's or a recipient's slug, as typed.</summary>
public sealed class SlugDraft
{
    public string? Value { get; set; }
}
