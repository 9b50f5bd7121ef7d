using MassTransit;
using Procexon.Contracts;
using Procexon.RightsRequests.IntegrationEvents;

namespace Procexon.RightsRequests.Tests;

[Trait("Category", "Unit")]
public sealed class ConsumerWiringTests
{
    [Theory]
    [InlineData(typeof(RecordRegisterOutcome), typeof(ErasureCompleted))]
    [InlineData(typeof(RecordNotifiedRecipients), typeof(RecipientsNotified))]
    [InlineData(typeof(RecordRecipientConfirmation), typeof(RecipientConfirmedErasure))]
    [InlineData(typeof(RecordRightScope), typeof(SubjectRightScopeResolved))]
    [InlineData(typeof(RecordRegisterRightAnswer), typeof(RegisterRightCompleted))]
    [InlineData(typeof(RecordRectificationConfirmation), typeof(RecipientConfirmedRectification))]
    [InlineData(typeof(RecordNoticeConfirmation), typeof(RecipientConfirmedNotice))]
    public void Each_answer_consumer_records_batches_through_the_step_that_completes_requests(Type consumer, Type message)
    {
        // Every answer goes through the batch consumer's group commit and the step that completes requests, not through
        // a consumer of its own that would commit each answer in a transaction of its own.
        Assert.True(typeof(IConsumer<>).MakeGenericType(message).IsAssignableFrom(consumer));
        Assert.True(consumer.IsSubclassOf(typeof(ErasureProgressConsumer<>).MakeGenericType(message)));
    }
}
