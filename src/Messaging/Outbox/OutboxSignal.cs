using System.Threading.Channels;

namespace Procexon.Messaging.Outbox;

/// <summary>Wakes the dispatcher right after a commit that wrote events, so they go out without waiting for a poll.</summary>
public sealed class OutboxSignal
{
    // One pending wake-up is enough: the dispatcher drains everything committed so far.
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _pending.Writer.TryWrite(true);

    /// <summary>Waits for a commit or for the fallback interval, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan fallback, CancellationToken cancellationToken)
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
