using Aspire.Hosting.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// Each process connects to the broker as a user of its own, and the broker holds it to its own names: a processor
/// reads only its own recipient's queue and writes only to its own confirmation exchange, so it can neither read
/// another recipient's events or any internal one, nor speak for another recipient; a service reads only its own
/// queues. The connection strings are the ones the AppHost hands the processes.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BrokerAccessTests(PlatformFixture platform)
{
    private const ushort AccessRefused = 403;

    [Fact]
    public async Task A_processors_broker_user_reads_its_own_queue_only_and_writes_only_its_own_confirmations()
    {
        await using var connection = await ConnectAsync("messaging-processor-accounting-firm");

        // Its own queue: allowed.
        await using (var own = await connection.CreateChannelAsync())
        {
            await own.BasicGetAsync("recipient-accounting-firm", autoAck: false);
        }

        // Another recipient's queue, the registry's internal queues, the rights requests' queue of answers.
        foreach (var queue in new[] { "recipient-website-it-company", "registry-erasure-customers", "registry-rights-customers" })
        {
            await AssertRefusedAsync(connection, channel => channel.BasicGetAsync(queue, autoAck: false));
        }

        // Listening in on an internal event by binding a queue of its own to the event's exchange.
        await AssertRefusedAsync(connection, async channel =>
        {
            await channel.QueueDeclareAsync("recipient-accounting-firm-sniffer", durable: false, exclusive: true, autoDelete: true);
        });
        await AssertRefusedAsync(connection, channel =>
            channel.QueueBindAsync("recipient-accounting-firm", "Procexon.Contracts:ErasureScopeResolved", ""));

        // Speaking for another recipient, or publishing an internal event.
        foreach (var exchange in new[] { "recipient-website-it-company-confirmations", "Procexon.Contracts:ErasureRequested" })
        {
            await AssertRefusedAsync(connection, async channel =>
            {
                await channel.BasicPublishAsync(exchange, "", mandatory: false, new BasicProperties(), "{}"u8.ToArray());
            }, publisherConfirms: true);
        }
    }

    [Fact]
    public async Task A_services_broker_user_cannot_read_another_services_queues()
    {
        await using var connection = await ConnectAsync("messaging-retention");
        await AssertRefusedAsync(connection, channel => channel.BasicGetAsync("registry-erasure-customers", autoAck: false));
        await AssertRefusedAsync(connection, channel => channel.BasicGetAsync("recipient-accounting-firm", autoAck: false));
    }

    [Fact]
    public async Task A_services_broker_user_publishes_only_its_own_events_and_listens_only_to_those_it_consumes()
    {
        await using var connection = await ConnectAsync("messaging-retention");

        // Retention publishes RetentionPeriodEnded: forging a request's erasure, or the Registry's answer, is refused.
        foreach (var exchange in new[] { "Procexon.Contracts:ErasureRequested", "Procexon.Contracts:ErasureCompleted" })
        {
            await AssertRefusedAsync(connection, async channel =>
            {
                await channel.BasicPublishAsync(exchange, "", mandatory: false, new BasicProperties(), "{}"u8.ToArray());
            }, publisherConfirms: true);
        }

        // It consumes the Registry's answers, not the requests: binding its own exchange to one to listen in is refused.
        await using (var own = await connection.CreateChannelAsync())
        {
            await own.ExchangeDeclareAsync("retention-listening-in", ExchangeType.Fanout, durable: false, autoDelete: true);
        }

        await AssertRefusedAsync(connection, channel =>
            channel.ExchangeBindAsync("retention-listening-in", "Procexon.Contracts:SubjectRightRequested", ""));
        // What it does publish, it may.
        await using var allowed = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await allowed.ExchangeDeclareAsync("Procexon.Contracts:RetentionPeriodEnded", ExchangeType.Fanout, durable: true);
    }

    private async Task<IConnection> ConnectAsync(string resource) =>
        await new ConnectionFactory { Uri = new Uri((await platform.App.GetConnectionStringAsync(resource))!) }.CreateConnectionAsync();

    /// <summary>The broker refuses the operation with ACCESS_REFUSED, closing the channel it was tried on.</summary>
    private static async Task AssertRefusedAsync(IConnection connection, Func<IChannel, Task> attempt, bool publisherConfirms = false)
    {
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: publisherConfirms, publisherConfirmationTrackingEnabled: publisherConfirms));
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => attempt(channel));
        var reason = refused switch
        {
            OperationInterruptedException interrupted => interrupted.ShutdownReason?.ReplyCode,
            _ => channel.CloseReason?.ReplyCode,
        };
        Assert.True(reason == AccessRefused, $"Expected ACCESS_REFUSED, got {refused.GetType().Name}: {refused.Message} (channel: {channel.CloseReason})");
    }
}
