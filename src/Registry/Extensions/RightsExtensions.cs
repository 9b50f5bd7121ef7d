using MassTransit;
using Procexon.Messaging;

namespace Procexon.Registry.Extensions;

/// <summary>The rights other than erasure on the bus: the scope, one queue per register, and lifting a restriction.</summary>
public static class RightsExtensions
{
    public static void AddRightsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ResolveRightScope>();
        bus.AddConsumer<LiftRestriction>();
        // Declared by hand: one queue per register, as for erasure (RegisterQueues).
        bus.AddConsumer<ApplyRightInRegister>().ExcludeFromConfigureEndpoints();
    }
}
