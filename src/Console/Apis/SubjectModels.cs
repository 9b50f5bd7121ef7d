namespace Procexon.Console.Apis;

// The console's reading of the Registry's subjects (DESIGN §5): only what the subject pages show.

/// <summary>What a lookup sends (<c>POST /api/subjects/search</c>): any of the identifiers, in the body, never in a URL.</summary>
public sealed record SubjectLookupInput(string? Email, string? Phone, string? Hetu, string? BusinessId, string? CustomerNumber);

/// <summary>A subject as the API shows it to staff: the identity code masked, and the registers holding it.</summary>
public sealed record SubjectView(
    Guid Id,
    string? Name,
    string? Email,
    string? Phone,
    string? Hetu,
    string? BusinessId,
    string? CustomerNumber,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> HeldIn)
{
    /// <summary>The identifiers the subject has, each with the key of its label, in the order the pages list them.</summary>
    public IEnumerable<(string Label, string Value)> Identifiers() =>
        new (string Label, string? Value)[]
        {
            ("SubjectEmail", Email), ("SubjectPhone", Phone), ("SubjectHetu", Hetu),
            ("SubjectBusinessId", BusinessId), ("SubjectCustomerNumber", CustomerNumber),
        }
        .Where(i => !string.IsNullOrEmpty(i.Value)).Select(i => (i.Label, i.Value!));
}

/// <summary>What a lookup answered: the subjects found, or the API's problem (an invalid identity code, say).</summary>
public sealed record SubjectsFound(IReadOnlyList<SubjectView>? Subjects, ApiProblem? Problem);

/// <summary>A subject's page as the API answered it: the subject, or where it was merged, or neither (unknown).</summary>
public sealed record SubjectAnswer(SubjectView? Subject, Guid? MergedInto);

public sealed record SubjectRecord(
    Guid Id,
    string Register,
    string Category,
    IReadOnlyDictionary<string, string> Fields,
    DateOnly RecordedOn,
    string State,
    DateOnly? RetainUntil,
    Guid? LegalHoldId);

public sealed record SubjectRecordsInRegister(string Register, LocalizedText Name, IReadOnlyList<SubjectRecord> Records);

public sealed record SubjectRecords(Guid SubjectId, IReadOnlyList<SubjectRecordsInRegister> Registers)
{
    public int Count => Registers.Sum(r => r.Records.Count);
}

/// <summary>A merge as the Registry recorded it: which subject went into which, who, when, why, what moved.</summary>
public sealed record SubjectMergeView(
    Guid Id,
    Guid MergedFrom,
    Guid MergedInto,
    string MergedBy,
    string Reason,
    DateTimeOffset MergedAt,
    int RecordsMoved,
    IReadOnlyDictionary<string, int> MovedPerRegister,
    IReadOnlyList<string> IdentifiersTaken);

/// <summary>What a merge answered: the merge recorded, or the API's problem (the two conflict, one was merged already).</summary>
public sealed record MergeAnswer(SubjectMergeView? Merge, ApiProblem? Problem);

/// <summary>A register of the catalogue by its slug: its name and the names of its data categories.</summary>
public sealed record HeldInRegister(string Slug, LocalizedText Name, IReadOnlyList<HeldInRegister.Category> DataCategories)
{
    public sealed record Category(string Code, LocalizedText Name);
}

/// <summary>A correction of a subject's identifiers: who, when, why, which fields (never their values).</summary>
public sealed record IdentifierCorrectionView(Guid Id, string CorrectedBy, string Reason, DateTimeOffset CorrectedAt, IReadOnlyList<string> Fields);

/// <summary>The API's spellings the subject pages name.</summary>
public static class SubjectTerms
{
    /// <summary>A record's states (the Registry's <c>RecordState</c>, kebab-case).</summary>
    public static readonly string[] RecordStates = ["active", "restricted", "beyond-use"];

    /// <summary>The identifiers a merge may take over from the duplicate (the Registry's <c>SubjectMerging</c>).</summary>
    public static readonly string[] TakenIdentifiers = ["name", "hetu", "email", "phone", "businessId", "customerNumber", "customerNumber (alias)"];

    /// <summary>The text key's form of a taken identifier: resource keys take no spaces or brackets.</summary>
    public static string KeyOf(string taken) => taken.Replace(" (alias)", "-alias", StringComparison.Ordinal);
}
