using MassTransit;
using Procexon.Contracts;
using Procexon.RightsRequests.IntegrationEvents;

namespace Procexon.RightsRequests.Tests;

public sealed class ConsumerWiringTests
{
    [Theory]
    [InlineData(typeof(RecordErasureScope), typeof(ErasureScopeResolved))]
    [InlineData(typeof(RecordRegisterOutcome), typeof(ErasureCompleted))]
    [InlineData(typeof(RecordNotifiedRecipients), typeof(RecipientsNotified))]
    [InlineData(typeof(RecordRecipientConfirmation), typeof(RecipientConfirmedErasure))]
    [InlineData(typeof(RecordRightScope), typeof(SubjectRightScopeResolved))]
    [InlineData(typeof(RecordRegisterRightAnswer), typeof(RegisterRightCompleted))]
    [InlineData(typeof(RecordRectificationConfirmation), typeof(RecipientConfirmedRectification))]
    [InlineData(typeof(RecordNoticeConfirmation), typeof(RecipientConfirmedNotice))]
    public void Each_answer_consumer_records_batches_through_the_step_that_completes_requests(Type consumer, Type message)
    {
        // MassTransit decides by the interface: a consumer of the single message would be fed one message per
        // transaction again, and one of the batch would be given MassTransit's default batch of 10 after a second.
        Assert.True(typeof(IConsumer<>).MakeGenericType(typeof(Batch<>).MakeGenericType(message)).IsAssignableFrom(consumer));
        Assert.False(typeof(IConsumer<>).MakeGenericType(message).IsAssignableFrom(consumer));
        Assert.True(consumer.IsSubclassOf(typeof(ErasureProgressConsumer<>).MakeGenericType(message)));
    }
}
