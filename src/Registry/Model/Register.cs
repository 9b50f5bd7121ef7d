namespace Procexon.Registry.Model;

/// <summary>
/// One register of the record of processing (GDPR Art 30), as the privacy notice describes it. The description is
/// kept whole, as one document, because it is read and versioned whole.
/// </summary>
public sealed class Register
{
    /// <summary>The URL-safe name: customers, suppliers, marketing, … (DESIGN §5).</summary>
    public required string Slug { get; init; }

    /// <summary>The order the notice lists the registers in.</summary>
    public required int Position { get; init; }

    public required RegisterDescription Description { get; set; }

    /// <summary>The current version, from 1; every edit adds one and writes the new description as a <see cref="RegisterVersion"/>.</summary>
    public int Version { get; set; } = 1;

    /// <summary>When the current version took effect: the <see cref="RegisterVersion.ValidFrom"/> of <see cref="Version"/>.</summary>
    public required DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Makes <paramref name="description"/> the current one and returns the version row that records the change.</summary>
    public RegisterVersion Revise(RegisterDescription description, DateTimeOffset at, string changedBy, string changeNote)
    {
        Description = description;
        Version++;
        // Replicas' clocks may differ by a little: a version never takes effect before the one it replaces.
        UpdatedAt = at > UpdatedAt ? at.ToUniversalTime() : UpdatedAt;
        return RegisterVersion.Of(this, changedBy, changeNote);
    }
}

public sealed record RegisterDescription(
    LocalizedText Name,
    LocalizedText Description,
    IReadOnlyList<Purpose> Purposes,
    IReadOnlyList<string> LegalBases,
    IReadOnlyList<CodedName> DataCategories,
    IReadOnlyList<CodedName> Sources,
    LocalizedText Retention,
    IReadOnlyList<string> RetentionRules,
    IReadOnlyList<string> Recipients,
    TransferPolicy TransfersOutsideEuEea,
    LocalizedText OnErasure);

/// <summary>Why data is processed, under which legal basis (consent, contract, law, legitimate-interest).</summary>
public sealed record Purpose(string LegalBasis, LocalizedText Text);

/// <summary>A data category or a source: a stable code and its name in both languages.</summary>
public sealed record CodedName(string Code, LocalizedText Name);

/// <summary>Whether data may move outside the EU/EEA and the safeguard that then applies (GDPR Chapter V).</summary>
public sealed record TransferPolicy(bool Possible, LocalizedText? Safeguard);
