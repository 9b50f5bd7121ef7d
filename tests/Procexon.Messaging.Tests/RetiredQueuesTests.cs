using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Procexon.Messaging.Tests;

[Collection(MessagingCollection.Name)]
public sealed class RetiredQueuesTests(MessagingFixture fixture)
{
    private IConnection Connection => fixture.Host.Services.GetRequiredService<IConnection>();

    [Fact]
    public async Task A_retired_consumer_s_queue_is_unbound_and_deleted_when_empty_and_kept_with_its_messages_when_not()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var events = $"Procexon.Tests:Retired{suffix}";
        var empty = $"notes-retired-empty-{suffix}";
        var holding = $"notes-retired-holding-{suffix}";
        await DeclareAsMassTransitDoesAsync(events, empty, withErrorQueue: true);
        await DeclareAsMassTransitDoesAsync(events, holding, withErrorQueue: false);
        await using (var channel = await Connection.CreateChannelAsync())
        {
            // To the one queue only (its endpoint's exchange), as a message sent back for a retry reaches it.
            await channel.BasicPublishAsync(holding, "", mandatory: false, new BasicProperties(), "{}"u8.ToArray());
        }

        Assert.True(await MessagingFixture.EventuallyAsync(async () => await MessagesInAsync(holding) == 1, TimeSpan.FromSeconds(10)));
        var retired = new RetiredQueues(Connection, [empty, holding], NullLogger<RetiredQueues>.Instance);

        Assert.Equal([empty, $"{empty}_error"], await retired.RetireAsync(empty, CancellationToken.None));
        Assert.Empty(await retired.RetireAsync(holding, CancellationToken.None));

        Assert.Null(await MessagesInAsync(empty));
        Assert.Null(await MessagesInAsync($"{empty}_error"));
        Assert.False(await ExchangeExistsAsync(empty));
        // Kept with its message, but nothing reaches it any more.
        Assert.False(await ExchangeExistsAsync(holding));
        await using (var channel = await Connection.CreateChannelAsync())
        {
            await channel.BasicPublishAsync(events, "", mandatory: false, new BasicProperties(), "{}"u8.ToArray());
        }

        await Task.Delay(500);
        Assert.Equal(1u, await MessagesInAsync(holding));

        // A second start finds nothing to do.
        Assert.Empty(await retired.RetireAsync(empty, CancellationToken.None));

        await using (var channel = await Connection.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(holding);
            await channel.ExchangeDeleteAsync(events);
        }
    }

    /// <summary>MassTransit's topology for a consumer: the event's exchange → the endpoint's exchange → its quorum queue.</summary>
    private async Task DeclareAsMassTransitDoesAsync(string events, string queue, bool withErrorQueue)
    {
        await using var channel = await Connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(events, ExchangeType.Fanout, durable: true);
        await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true);
        await channel.ExchangeBindAsync(queue, events, "");
        var quorum = new Dictionary<string, object?> { ["x-queue-type"] = "quorum" };
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, quorum);
        await channel.QueueBindAsync(queue, queue, "");
        if (withErrorQueue)
        {
            await channel.QueueDeclareAsync($"{queue}_error", durable: true, exclusive: false, autoDelete: false, quorum);
        }
    }

    private async Task<uint?> MessagesInAsync(string queue)
    {
        await using var channel = await Connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    private async Task<bool> ExchangeExistsAsync(string exchange)
    {
        await using var channel = await Connection.CreateChannelAsync();
        try
        {
            await channel.ExchangeDeclarePassiveAsync(exchange);
            return true;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }
}
