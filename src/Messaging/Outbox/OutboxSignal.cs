using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Procexon.Messaging.Outbox;

/// <summary>
/// What a commit tells the dispatcher: the outbox rows it wrote, to be published at once from memory
/// (<see cref="Committed"/>), and a wake-up for the sweep that publishes what the database holds (<see cref="Notify"/>).
/// </summary>
public sealed class OutboxSignal
{
    /// <summary>Commits waiting for a publisher; past this the rows are left to the sweep, which reads them from the table.</summary>
    private const int CommitsWaiting = 4096;

    // One pending wake-up is enough: the sweep takes everything due so far.
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly Channel<IReadOnlyList<OutboxMessage>> _committed = Channel.CreateBounded<IReadOnlyList<OutboxMessage>>(
        new BoundedChannelOptions(CommitsWaiting) { FullMode = BoundedChannelFullMode.Wait, SingleWriter = false });

    /// <summary>Rows that no publisher of this process holds any more and that the sweep may take without waiting.</summary>
    private readonly ConcurrentQueue<Guid> _due = new();

    /// <summary>
    /// Rows handed to the publishers of this process and not yet deleted: waiting for one, being published, or published
    /// and waiting for the delete. The sweep leaves them alone, however long the publishers take.
    /// </summary>
    internal ConcurrentDictionary<Guid, byte> Held { get; } = new();

    internal ChannelReader<IReadOnlyList<OutboxMessage>> CommittedRows => _committed.Reader;

    /// <summary>
    /// The rows a transaction has just committed. Handed to a publisher of this process; when too many commits are
    /// waiting for one, they are left to the sweep instead, so a down broker never holds them in memory without bound.
    /// </summary>
    public void Committed(IReadOnlyList<OutboxMessage> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }

        foreach (var message in messages)
        {
            Held.TryAdd(message.Id, 0);
        }

        if (!_committed.Writer.TryWrite(messages))
        {
            Release(messages.Select(m => m.Id));
        }
    }

    /// <summary>
    /// Rows of this process that were not published from memory, or that the sweep must try again: it takes them at its
    /// next look, woken for it unless <paramref name="wake"/> is false (the sweep backing off after a failure).
    /// </summary>
    internal void Due(IEnumerable<Guid> ids, bool wake = true)
    {
        foreach (var id in ids)
        {
            _due.Enqueue(id);
        }

        if (wake)
        {
            Notify();
        }
    }

    /// <summary>Rows a publisher gives up (not confirmed, or never taken): the sweep's now, at its next look.</summary>
    internal void Release(IEnumerable<Guid> ids)
    {
        var released = ids.ToList();
        foreach (var id in released)
        {
            Held.TryRemove(id, out _);
        }

        Due(released);
    }

    internal List<Guid> TakeDue()
    {
        var due = new List<Guid>();
        while (_due.TryDequeue(out var id))
        {
            due.Add(id);
        }

        return due;
    }

    internal void Notify() => _pending.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or for the fallback interval, whichever comes first.</summary>
    internal async Task WaitAsync(TimeSpan fallback, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(fallback);
        try
        {
            await _pending.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
