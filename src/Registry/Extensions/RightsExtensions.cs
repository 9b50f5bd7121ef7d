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
        // Declared by hand below: one queue per register, as for erasure.
        bus.AddConsumer<ApplyRightInRegister>().ExcludeFromConfigureEndpoints();
    }

    /// <summary>Each register carries out rights on its own queue (<c>registry-rights-{register}</c>), beside its erasure queue.</summary>
    public static void AddRegisterRightsQueues(this IRabbitMqBusFactoryConfigurator rabbit, IBusRegistrationContext context)
    {
        foreach (var register in CatalogueSeeder.RegisterSlugs())
        {
            rabbit.ReceiveEndpoint(ResolveRightScope.QueueOf(register), endpoint =>
            {
                endpoint.UseDurableDefaults();
                endpoint.ConfigureConsumeTopology = false;
                endpoint.ConfigureConsumer<ApplyRightInRegister>(context);
            });
        }
    }
}
