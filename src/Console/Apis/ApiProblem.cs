using System.Text.Json;
using Procexon.ServiceDefaults.Problems;

namespace Procexon.Console.Apis;

/// <summary>
/// An RFC 9457 problem the API answered: its title and detail, and the messages per field of a validation problem,
/// shown beside the fields they name.
/// </summary>
public sealed record ApiProblem(int Status, string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>The name of the platform's problem type (<see cref="ProblemTypes"/>), e.g. <c>already-extended</c>; null for any other.</summary>
    public string? Type { get; init; }

    public IReadOnlyList<string> For(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? title = null;
        string? detail = null;
        string? type = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                var root = problem.RootElement;
                title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
                detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
                type = root.TryGetProperty("type", out var ty) && ty.ValueKind == JsonValueKind.String ? ProblemTypes.NameOf(ty.GetString()) : null;
                if (root.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in fields.EnumerateObject())
                    {
                        errors[field.Name] = [.. field.Value.EnumerateArray().Select(m => m.GetString() ?? "")];
                    }
                }
            }
            catch (JsonException)
            {
                // A body that is not a problem: the status alone tells the page what happened.
            }
        }

        return new ApiProblem((int)response.StatusCode, title, detail, errors) { Type = type };
    }
}

/// <summary>What an action answered: done, or the problem the API gave.</summary>
public sealed record ApiResult(ApiProblem? Problem)
{
    public static readonly ApiResult Done = new((ApiProblem?)null);

    public bool Succeeded => Problem is null;
}
