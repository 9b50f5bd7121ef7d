using Procexon.ServiceDefaults.Problems;

namespace Procexon.Registry.Apis;

/// <summary>The problems (RFC 9457) the subject endpoints answer with.</summary>
public static class SubjectProblems
{
    public static ProblemHttpResult Conflict(string field, Guid? existingSubjectId) => TypedResults.Problem(
        type: ProblemTypes.Uri("subject-exists"),
        title: "The subject already exists",
        detail: $"Another subject already has this {field}. Add records to that subject instead of creating a second one.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?>
        {
            ["field"] = field,
            ["existingSubject"] = existingSubjectId is null ? null : $"/api/subjects/{existingSubjectId}",
        });

    public static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(
        title: "Unknown subject",
        detail: $"There is no subject {id}.",
        statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult NotFound(Guid id, string field) => TypedResults.Problem(
        title: "Unknown subject",
        detail: $"There is no subject {id}.",
        statusCode: StatusCodes.Status404NotFound,
        extensions: new Dictionary<string, object?> { ["field"] = field });

    /// <summary>A correction would give the subject an identifier another subject holds. Names the field, never the value.</summary>
    public static ProblemHttpResult IdentifierTaken(string field, Guid? otherSubjectId) => TypedResults.Problem(
        type: ProblemTypes.Uri("identifier-taken"),
        title: "Another subject has this identifier",
        detail: $"Another subject already has this {field}. If the two are one person, merge them; if not, correct the other's first.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?>
        {
            ["field"] = field,
            ["otherSubject"] = otherSubjectId is null ? null : $"/api/subjects/{otherSubjectId}",
        });

    /// <summary>The two subjects disagree on an identifier: staff rectify one first. Names the field, never the values.</summary>
    public static ProblemHttpResult MergeConflict(string field, Guid duplicateId) => TypedResults.Problem(
        type: ProblemTypes.Uri("subjects-identifiers-conflict"),
        title: "The subjects' identifiers conflict",
        detail: $"The two subjects have different values for {field}; they may be two people. Rectify one of them before merging.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["field"] = field, ["duplicateSubject"] = $"/api/subjects/{duplicateId}" });

    public static ProblemHttpResult AlreadyMerged(string field, Guid id, Guid into) => TypedResults.Problem(
        type: ProblemTypes.Uri("subject-already-merged"),
        title: "The subject was merged already",
        detail: $"Subject {id} was merged into {into}.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["field"] = field, ["mergedInto"] = $"/api/subjects/{into}" });
}
