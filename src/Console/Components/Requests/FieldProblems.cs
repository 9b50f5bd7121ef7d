using Microsoft.FluentUI.AspNetCore.Components;
using Procexon.Console.Apis;

namespace Procexon.Console.Components.Requests;

/// <summary>What a Fluent input shows beside itself for the API's problem naming its field: the messages, in error state.</summary>
public static class FieldProblems
{
    public static string? Message(ApiProblem? problem, string field) =>
        problem?.For(field) is { Count: > 0 } messages ? string.Join(" ", messages) : null;

    public static MessageState? State(ApiProblem? problem, string field) =>
        problem?.For(field) is { Count: > 0 } ? MessageState.Error : null;
}
