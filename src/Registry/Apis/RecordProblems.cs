using Procexon.ServiceDefaults.Problems;

namespace Procexon.Registry.Apis;

/// <summary>The problems (RFC 9457) the record endpoints answer with beyond bad input.</summary>
public static class RecordProblems
{
    /// <summary>409: the subject's processing in the register is restricted (Art 18, Art 21(1)), so staff cannot change it.</summary>
    public static ProblemHttpResult Restricted(string reason, string register) => TypedResults.Problem(
        type: ProblemTypes.Uri("processing-restricted"),
        title: "The subject's processing is restricted",
        detail: reason,
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["register"] = register, ["reason"] = "restricted" });
}
