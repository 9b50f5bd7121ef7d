namespace Procexon.Console.Apis;

// The console's reading of the catalogue's JSON (GET /api/registers): only what the pages show and what an edit sends back.

/// <summary>A register of the record of processing as the catalogue answers it; <c>UpdatedAt</c> is when this version took effect.</summary>
public sealed record RegisterDescription(
    string Slug,
    int Version,
    LocalizedText Name,
    LocalizedText Description,
    IReadOnlyList<RegisterPurpose> Purposes,
    IReadOnlyList<string> LegalBases,
    IReadOnlyList<RegisterCodedName> DataCategories,
    IReadOnlyList<RegisterCodedName> Sources,
    LocalizedText Retention,
    IReadOnlyList<string> RetentionRules,
    IReadOnlyList<string> Recipients,
    RegisterTransfers TransfersOutsideEuEea,
    LocalizedText OnErasure,
    DateTimeOffset UpdatedAt);

/// <summary>Why data is processed, under which legal basis.</summary>
public sealed record RegisterPurpose(string LegalBasis, LocalizedText Text);

/// <summary>A data category or a source: its code and its name in both languages.</summary>
public sealed record RegisterCodedName(string Code, LocalizedText Name);

/// <summary>Whether data may move outside the EU/EEA and the safeguard that then applies.</summary>
public sealed record RegisterTransfers(bool Possible, LocalizedText? Safeguard);

/// <summary>One entry of a register's history: when it took effect, who changed it (from their token) and why.</summary>
public sealed record RegisterVersion(int Version, DateTimeOffset ValidFrom, string ChangedBy, string ChangeNote);

/// <summary>
/// The body of <c>PUT /api/registers/{register}</c>: the whole description, why it changes and the version it was read
/// at, so that an edit made meanwhile is refused rather than overwritten.
/// </summary>
public sealed record RegisterEditBody(
    LocalizedText Name,
    LocalizedText Description,
    IReadOnlyList<RegisterPurpose> Purposes,
    IReadOnlyList<string> LegalBases,
    IReadOnlyList<RegisterCodedName> DataCategories,
    IReadOnlyList<RegisterCodedName> Sources,
    LocalizedText Retention,
    IReadOnlyList<string> RetentionRules,
    IReadOnlyList<string> Recipients,
    RegisterTransfers TransfersOutsideEuEea,
    LocalizedText OnErasure,
    string? ChangeNote,
    int ExpectedVersion);

/// <summary>What an edit answered: the register as it is now, or the API's problem.</summary>
public sealed record RegisterEdited(RegisterDescription? Register, ApiProblem? Problem);
