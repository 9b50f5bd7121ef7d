namespace Procexon.Registry.Apis;

/// <summary>The problems (RFC 9457) the subject endpoints answer with.</summary>
public static class SubjectProblems
{
    public static ProblemHttpResult Conflict(string field, Guid? existingSubjectId) => TypedResults.Problem(
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
}
