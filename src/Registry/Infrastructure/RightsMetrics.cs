using System.Diagnostics.Metrics;

namespace Procexon.Registry.Infrastructure;

internal static class RightsMetrics
{
    private static readonly Meter s_meter = new("Procexon.Registry.Rights");

    private static readonly Counter<long> s_answers = s_meter.CreateCounter<long>(
        "procexon.registry.register_rights", unit: "{answer}", description: "Rights requests other than erasure answered by a register, by right and outcome.");

    public static void Count(string register, string right, string outcome) => s_answers.Add(
        1,
        new KeyValuePair<string, object?>("register", register),
        new KeyValuePair<string, object?>("right", right),
        new KeyValuePair<string, object?>("outcome", outcome));
}
