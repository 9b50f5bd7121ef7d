using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Messaging.ErrorQueues;

namespace Procexon.Messaging.Tests;

[Collection(MessagingCollection.Name)]
public sealed class ErrorQueueTests(MessagingFixture fixture)
{
    private ErrorQueues.ErrorQueues Queues => fixture.Host.Services.GetRequiredService<ErrorQueues.ErrorQueues>();

    [Fact]
    public async Task A_message_that_always_fails_waits_in_its_error_queue_with_the_reason_and_a_replay_after_the_mend_applies_once()
    {
        var noteId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        FlaggingFault.On = true;
        try
        {
            await fixture.Host.Services.GetRequiredService<IBus>().Publish(new NoteFlagged(noteId), c => c.MessageId = messageId);

            // Retried in-process first (seconds), then moved to the error queue.
            FailedMessage? failed = null;
            Assert.True(await MessagingFixture.EventuallyAsync(
                async () => (failed = (await Queues.ListAsync(ErrorQueues.ErrorQueues.MaxListed, CancellationToken.None)).FirstOrDefault(m => m.MessageId == messageId)) is not null,
                TimeSpan.FromSeconds(60)), "The failing message never reached an error queue.");
            Assert.EndsWith("note-flagged", failed!.Queue, StringComparison.Ordinal);
            Assert.Equal(nameof(NoteFlagged), failed.MessageType);
            Assert.Equal(FlaggingFault.Message, failed.Reason);
            Assert.Equal(typeof(InvalidOperationException).FullName, failed.ExceptionType);
            Assert.NotNull(failed.FaultedAt);

            // Listing takes nothing away.
            Assert.Contains(await Queues.ListAsync(ErrorQueues.ErrorQueues.MaxListed, CancellationToken.None), m => m.MessageId == messageId);
            Assert.Equal(0, await fixture.EffectsOfAsync(noteId));
        }
        finally
        {
            FlaggingFault.On = false;
        }

        Assert.False(await Queues.ReplayAsync(Guid.NewGuid(), CancellationToken.None));
        Assert.True(await Queues.ReplayAsync(messageId, CancellationToken.None));

        Assert.True(await MessagingFixture.EventuallyAsync(async () => await fixture.EffectsOfAsync(noteId) == 1, TimeSpan.FromSeconds(20)),
            "The replayed message was not applied.");
        Assert.DoesNotContain(await Queues.ListAsync(ErrorQueues.ErrorQueues.MaxListed, CancellationToken.None), m => m.MessageId == messageId);
        Assert.False(await Queues.ReplayAsync(messageId, CancellationToken.None));

        // A second copy of the replayed message (an operator's double click, a redelivery) changes nothing.
        await fixture.Host.Services.GetRequiredService<IBus>().Publish(new NoteFlagged(noteId), c => c.MessageId = messageId);
        await Task.Delay(1000);
        Assert.Equal(1, await fixture.EffectsOfAsync(noteId));
    }
}
