namespace Procexon.RightsRequests.Apis;

/// <summary>
/// The check an endpoint makes itself when it is open to the public in one case and to staff only in another (a
/// written request, a staff verification, the answer without its key): the same 401/403 problems the policies give.
/// </summary>
internal static class Callers
{
    /// <summary>Null when the caller may; else 401 for an anonymous caller (with a Bearer challenge), 403 for a signed-in one.</summary>
    public static async Task<ProblemHttpResult?> RefuseUnlessAsync(
        this IAuthorizationService authorization, HttpContext http, string policy, string what) =>
        await authorization.MayAsync(http.User, policy) ? null : Refuse(http, what);

    /// <param name="orElse">Who else may, said to an anonymous caller (", or the requester with their key").</param>
    public static ProblemHttpResult Refuse(HttpContext http, string what, string orElse = "")
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(title: "Sign in", detail: $"Only signed-in staff may {what}{orElse}.", statusCode: StatusCodes.Status401Unauthorized);
        }

        return TypedResults.Problem(title: "Forbidden", detail: $"Your role does not allow you to {what}.", statusCode: StatusCodes.Status403Forbidden);
    }
}
