using MassTransit;
using Procexon.Messaging.Inbox;

namespace Procexon.RightsRequests.Extensions;

public static class RightsExtensions
{
    /// <summary>The answers to the rights other than erasure: scope, one answer per register, confirmations, lifting.</summary>
    public static IBusRegistrationConfigurator AddRightsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddBatchConsumer<RecordRightScope>();
        bus.AddBatchConsumer<RecordRegisterRightAnswer>();
        bus.AddBatchConsumer<RecordRectificationConfirmation>();
        bus.AddBatchConsumer<RecordNoticeConfirmation>();
        bus.AddConsumer<RecordRestrictionLifted>();
        return bus;
    }
}
