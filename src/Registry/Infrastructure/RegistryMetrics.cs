using System.Diagnostics.Metrics;

namespace Procexon.Registry.Infrastructure;

internal static class RegistryMetrics
{
    private static readonly Meter s_meter = new("Procexon.Registry");

    public static readonly Counter<long> RegisterErasures = s_meter.CreateCounter<long>(
        "procexon.registry.register_erasures", unit: "{erasure}", description: "Erasure requests answered by a register, by outcome.");
}
