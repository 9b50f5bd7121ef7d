using MassTransit;

namespace Procexon.RightsRequests.Extensions;

public static class RightsExtensions
{
    /// <summary>The answers to the rights other than erasure: scope, one answer per register, confirmations, lifting.</summary>
    public static IBusRegistrationConfigurator AddRightsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RecordRightScope>();
        bus.AddConsumer<RecordRegisterRightAnswer>();
        bus.AddConsumer<RecordRectificationConfirmation>();
        bus.AddConsumer<RecordRestrictionLifted>();
        return bus;
    }
}
