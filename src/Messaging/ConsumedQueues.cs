using System.Collections.Concurrent;
using MassTransit;

namespace Procexon.Messaging;

/// <summary>
/// The queues this process consumes from, with their receive endpoints and how many messages each has been handed,
/// recorded as MassTransit brings each endpoint up. The count lets <see cref="Inbox.ConsumerWatchdog"/> judge an
/// endpoint by what this process received, which the broker's consumer count cannot tell.
/// </summary>
public sealed class ConsumedQueues : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, ConsumedQueue> _queues = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Names => [.. _queues.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Each queue with the receive endpoint that consumes it and its deliveries so far.</summary>
    public IReadOnlyList<ConsumedQueue> Queues => [.. _queues.Values.OrderBy(q => q.Name, StringComparer.Ordinal)];

    public Task Ready(ReceiveEndpointReady ready)
    {
        var name = ready.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (name is null || ready.InputAddress.Query.Contains("temporary", StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        // Ready comes again after every reconnect and restart: the endpoint, and its counter, stay the same.
        var queue = _queues.GetOrAdd(name, static (name, endpoint) => new ConsumedQueue(name, endpoint), ready.ReceiveEndpoint);
        queue.Observe(ready.ReceiveEndpoint);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}

/// <summary>A consumed queue: its receive endpoint, and the messages the endpoint has been handed since the process started.</summary>
public sealed class ConsumedQueue(string name, IReceiveEndpoint endpoint) : IReceiveObserver
{
    private long _deliveries;
    private IReceiveEndpoint? _observed;

    public string Name { get; } = name;

    public IReceiveEndpoint Endpoint { get; } = endpoint;

    public long Deliveries => Interlocked.Read(ref _deliveries);

    internal void Observe(IReceiveEndpoint endpoint)
    {
        if (Interlocked.CompareExchange(ref _observed, endpoint, null) is null)
        {
            endpoint.ConnectReceiveObserver(this);
        }
    }

    public Task PreReceive(ReceiveContext context)
    {
        Interlocked.Increment(ref _deliveries);
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class => Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}
