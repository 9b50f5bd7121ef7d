using System.Text;
using System.Text.Json;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Procexon.Messaging.ErrorQueues;

/// <summary>A message that failed every retry and waits in a service's error queue, as an operator sees it.</summary>
public sealed record FailedMessage(
    string Queue, Guid? MessageId, string? MessageType, string? Reason, string? ExceptionType, DateTimeOffset? FaultedAt);

/// <summary>
/// What an operator does with a message that always failed: MassTransit moved it, after its retries, to
/// <c>&lt;queue&gt;_error</c> with the fault in its headers. <see cref="ListAsync"/> reads them without taking them
/// (each is returned to its queue); <see cref="ReplayAsync"/> sends one back to its queue once the fault is mended and
/// only then removes it from the error queue. The consumer's inbox makes a replay apply once: a message that faulted
/// left no inbox row, and a second copy of one that succeeded is dropped.
/// </summary>
public sealed class ErrorQueues(IConnection connection, ConsumedQueues queues)
{
    public const int MaxListed = 200;

    public async Task<IReadOnlyList<FailedMessage>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var found = new List<FailedMessage>();
        foreach (var queue in queues.Names)
        {
            await VisitAsync(queue, async (channel, result) =>
            {
                found.Add(Describe(queue, result));
                return found.Count < limit ? Visit.Next : Visit.Stop;
            }, cancellationToken);
            if (found.Count >= limit)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>Sends the failed message back to the queue it failed on; false when no error queue holds it.</summary>
    public async Task<bool> ReplayAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var replayed = false;
        foreach (var queue in queues.Names)
        {
            await VisitAsync(queue, async (channel, result) =>
            {
                if (!Guid.TryParse(result.BasicProperties.MessageId, out var id) || id != messageId)
                {
                    return Visit.Next;
                }

                var properties = new BasicProperties(result.BasicProperties)
                {
                    Headers = result.BasicProperties.Headers?
                        .Where(h => !h.Key.StartsWith("MT-Fault", StringComparison.Ordinal) && h.Key != "MT-Reason")
                        .ToDictionary(h => h.Key, h => h.Value),
                };
                // MassTransit binds each queue to an exchange of the same name; the publish is confirmed before the
                // error copy is acknowledged, so a crash in between leaves two copies, never none.
                await channel.BasicPublishAsync(queue, "", mandatory: true, properties, result.Body, cancellationToken);
                await channel.BasicAckAsync(result.DeliveryTag, multiple: false, cancellationToken);
                replayed = true;
                return Visit.Stop;
            }, cancellationToken);
            if (replayed)
            {
                return true;
            }
        }

        return false;
    }

    private enum Visit
    {
        Next,
        Stop,
    }

    /// <summary>
    /// Takes the error queue's messages one by one without acknowledging them; whatever the visitor did not acknowledge
    /// goes back to the queue when the channel closes.
    /// </summary>
    private async Task VisitAsync(string queue, Func<IChannel, BasicGetResult, Task<Visit>> visit, CancellationToken cancellationToken)
    {
        // A quorum queue that MassTransit has only just declared may not have its leader running yet: the broker then
        // answers the first get with 541 (noproc), a hard error that closes the whole connection. Nothing was taken, so
        // once the connection has recovered by itself (AlreadyClosedException until then) a new channel may try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await VisitOnceAsync(queue, visit, cancellationToken);
                return;
            }
            catch (Exception e) when (e is QueueNotReadyException or AlreadyClosedException && attempt < QueueReadyAttempts)
            {
                // Up to ~20 s in all: on a loaded machine a new quorum queue's leader has been seen to take over 5 s.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250 * attempt, 2000)), cancellationToken);
            }
        }
    }

    private const int QueueReadyAttempts = 15;

    private sealed class QueueNotReadyException(Exception inner) : Exception("The error queue's leader is not running yet.", inner);

    private async Task VisitOnceAsync(string queue, Func<IChannel, BasicGetResult, Task<Visit>> visit, CancellationToken cancellationToken)
    {
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        await using var channel = await connection.CreateChannelAsync(options, cancellationToken);
        try
        {
            await channel.QueueDeclarePassiveAsync($"{queue}_error", cancellationToken);
        }
        catch (OperationInterruptedException)
        {
            return; // No message of this queue has ever failed: it has no error queue.
        }

        for (var i = 0; i < MaxListed; i++)
        {
            BasicGetResult? result;
            try
            {
                result = await channel.BasicGetAsync($"{queue}_error", autoAck: false, cancellationToken);
            }
            catch (OperationInterruptedException e) when (i == 0 && e.ShutdownReason?.ReplyCode == Constants.InternalError)
            {
                throw new QueueNotReadyException(e);
            }

            if (result is null || await visit(channel, result) == Visit.Stop)
            {
                break;
            }
        }

        await channel.CloseAsync(cancellationToken);
    }

    private static FailedMessage Describe(string queue, BasicGetResult result)
    {
        var headers = result.BasicProperties.Headers ?? new Dictionary<string, object?>();
        string? Header(string name) => headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => value.ToString(),
        } : null;

        DateTimeOffset? faultedAt = DateTimeOffset.TryParse(Header("MT-Fault-Timestamp"), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        return new FailedMessage(
            queue,
            Guid.TryParse(result.BasicProperties.MessageId, out var id) ? id : null,
            MessageTypeOf(result.Body),
            Truncate(Header("MT-Fault-Message")),
            Header("MT-Fault-ExceptionType"),
            faultedAt);
    }

    /// <summary>The message's type from MassTransit's envelope (<c>urn:message:Namespace:Type</c> → <c>Type</c>): the body itself is not shown.</summary>
    private static string? MessageTypeOf(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body);
            return envelope.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array
                && types.GetArrayLength() > 0 && types[0].GetString() is { } urn
                ? urn.Split(':')[^1]
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // An exception's message may quote what the consumer was given; keep it short.
    private static string? Truncate(string? text) => text is { Length: > 500 } ? text[..500] + "…" : text;
}
