using MassTransit;
using Procexon.Contracts;
using Procexon.RightsRequests.IntegrationEvents;

namespace Procexon.RightsRequests.Tests;

public sealed class ConsumerWiringTests
{
    [Theory]
    [InlineData(typeof(RecordErasureScope), typeof(ErasureScopeResolved))]
    [InlineData(typeof(RecordRegisterOutcome), typeof(RegisterErasureCompleted))]
    [InlineData(typeof(RecordNotifiedRecipients), typeof(RecipientsNotified))]
    [InlineData(typeof(RecordRecipientConfirmation), typeof(RecipientConfirmedErasure))]
    [InlineData(typeof(RecordRightScope), typeof(SubjectRightScopeResolved))]
    [InlineData(typeof(RecordRegisterRightAnswer), typeof(RegisterRightCompleted))]
    [InlineData(typeof(RecordRectificationConfirmation), typeof(RecipientConfirmedRectification))]
    public void MassTransit_reaches_each_consumer_through_the_step_that_counts_completions_after_the_commit(Type consumer, Type message)
    {
        var consumerInterface = typeof(IConsumer<>).MakeGenericType(message);
        var map = consumer.GetInterfaceMap(consumerInterface);

        var target = Assert.Single(map.TargetMethods);
        Assert.Equal(typeof(ErasureProgressConsumer<>).MakeGenericType(message), target.DeclaringType);
        Assert.True(target.IsPrivate, "The explicit re-implementation, not the inbox's public Consume, must handle the delivery.");
    }
}
