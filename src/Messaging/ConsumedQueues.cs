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

        // Ready comes again after every reconnect and restart of the same endpoint, which keeps its counter; an endpoint
        // connected anew for the queue replaces it.
        var queue = _queues.AddOrUpdate(name,
            static (name, endpoint) => new ConsumedQueue(name, endpoint),
            static (name, known, endpoint) => ReferenceEquals(known.Endpoint, endpoint) ? known : new ConsumedQueue(name, endpoint),
            ready.ReceiveEndpoint);
        queue.Observe();
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
    private int _observed;

    public string Name { get; } = name;

    public IReceiveEndpoint Endpoint { get; } = endpoint;

    public long Deliveries => Interlocked.Read(ref _deliveries);

    /// <summary>Starts counting the endpoint's deliveries; once, however often the endpoint comes up.</summary>
    internal void Observe()
    {
        if (Interlocked.Exchange(ref _observed, 1) == 0)
        {
            Endpoint.ConnectReceiveObserver(this);
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
