using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;

namespace Procexon.Messaging.Inbox;

/// <summary>
/// Group commit for one batch consumer on one queue of this process, one transaction at a time: a message delivered
/// while none runs leads one at once, with whatever waited; one delivered while a transaction runs waits, and is
/// committed with the others that arrived meanwhile by the first of them when that transaction has finished. A quiet
/// queue costs no batching delay (MassTransit's <c>Batch&lt;T&gt;</c> held a lone message for its window and a dispatch
/// of its own, a quarter of an unloaded erasure); a busy one is drained up to <see cref="BatchConsumers.MessageLimit"/>
/// messages per commit. One transaction and not two: with two, batches stayed small at moderate load and cost a fifth
/// more CPU per erasure (docs/performance.md, fourteenth round); and two batches about one subject never run side by
/// side, which the Registry's erasure relies on.
/// A consumer nobody waits on may gather (<see cref="IdempotentBatchConsumer{TMessage,TContext}.GatherFor"/>): its
/// transaction starts once the oldest waiting message has waited that long, or the batch is full, so at a moderate rate
/// it still commits many messages at a time.
/// </summary>
/// <remarks>
/// Every message keeps its own delivery, scope and acknowledgement: a follower's <c>Consume</c> returns when the
/// leader's transaction has committed, so the broker is acked for nothing that is not committed, and a follower whose
/// batch failed retries alone (<see cref="GroupTurn.TryAlone"/>), so one bad message reaches MassTransit's retry and the
/// error queue by itself.
/// </remarks>
internal sealed class GroupCommit<TMessage>(int messageLimit, TimeSpan gatherFor) : IGroupCommit
    where TMessage : class
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Seat> _waiting = [];
    private bool _committing;

    /// <summary>While a batch gathers: the timer that starts its transaction.</summary>
    private ITimer? _gathering;

    /// <summary>How many messages wait for a transaction now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Waits until the message leads a transaction, or until one led by another message has settled it.</summary>
    public async Task<Turn> WaitForTurnAsync(ConsumeContext<TMessage> message, bool alone, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var seat = new Seat(message, alone);
        lock (_gate)
        {
            seat.Node = _waiting.AddLast(seat);
            if (!_committing)
            {
                LeadOrGatherLocked();
            }
        }

        // A message still waiting when its delivery is cancelled (the endpoint stops) leaves the queue; one already
        // taken into a transaction waits for its outcome.
        using var registration = cancellationToken.UnsafeRegister(static (state, token) =>
        {
            var (group, waiting) = ((GroupCommit<TMessage>, Seat))state!;
            group.Abandon(waiting, token);
        }, (this, seat));
        var turn = await seat.Outcome.Task;
        return new Turn(turn, seat);
    }

    /// <summary>The leader's transaction settled: tells its followers, then lets the next waiting message lead one.</summary>
    public void Finish(Turn leader, bool committed)
    {
        foreach (var follower in leader.Seat.Batch.Skip(1))
        {
            follower.Outcome.TrySetResult(committed ? GroupTurn.Committed : GroupTurn.TryAlone);
        }

        lock (_gate)
        {
            _committing = false;
            if (_waiting.Count > 0)
            {
                LeadOrGatherLocked();
            }
        }
    }

    /// <summary>With no transaction running: lets the oldest waiting message lead one now, or once it has gathered.</summary>
    private void LeadOrGatherLocked()
    {
        var waited = Stopwatch.GetElapsedTime(_waiting.First!.Value.ArrivedAt);
        if (waited < gatherFor && _waiting.Count < messageLimit)
        {
            _gathering ??= TimeProvider.System.CreateTimer(
                static group => ((GroupCommit<TMessage>)group!).Gathered(), this, gatherFor - waited, Timeout.InfiniteTimeSpan);
            return;
        }

        _gathering?.Dispose();
        _gathering = null;
        _committing = true;
        LeadNextLocked();
    }

    private void Gathered()
    {
        lock (_gate)
        {
            _gathering?.Dispose();
            _gathering = null;
            if (!_committing && _waiting.Count > 0)
            {
                _committing = true;
                LeadNextLocked();
            }
        }
    }

    private void LeadNextLocked()
    {
        var leader = _waiting.First!.Value;
        var batch = new List<Seat>(capacity: 1) { leader };
        Take(leader);
        // A message retried alone is a batch of its own and ends the batch before it, so the order of arrival holds.
        while (!leader.Alone && batch.Count < messageLimit && _waiting.First?.Value is { Alone: false } next)
        {
            Take(next);
            batch.Add(next);
        }

        leader.Batch = batch;
        leader.Outcome.TrySetResult(GroupTurn.Lead);
    }

    private void Take(Seat seat)
    {
        _waiting.Remove(seat.Node!);
        seat.Node = null;
    }

    private void Abandon(Seat seat, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (seat.Node is null)
            {
                return;
            }

            Take(seat);
        }

        seat.Outcome.TrySetCanceled(cancellationToken);
    }

    internal sealed class Seat(ConsumeContext<TMessage> message, bool alone)
    {
        public ConsumeContext<TMessage> Message => message;

        public bool Alone => alone;

        public long ArrivedAt { get; } = Stopwatch.GetTimestamp();

        /// <summary>Where the seat waits; null once it is taken into a transaction or has left.</summary>
        public LinkedListNode<Seat>? Node { get; set; }

        /// <summary>The messages of the transaction this seat leads, itself first.</summary>
        public IReadOnlyList<Seat> Batch { get; set; } = [];

        public TaskCompletionSource<GroupTurn> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>What a message's delivery is to do now; a leader also gets the messages of its transaction.</summary>
    public readonly record struct Turn(GroupTurn Kind, Seat Seat)
    {
        public IReadOnlyList<ConsumeContext<TMessage>> Messages => [.. Seat.Batch.Select(s => s.Message)];
    }
}

internal interface IGroupCommit
{
    int Waiting { get; }
}

internal enum GroupTurn
{
    /// <summary>Run the transaction for the batch, then <see cref="GroupCommit{TMessage}.Finish"/>.</summary>
    Lead,

    /// <summary>Another message's transaction committed this one.</summary>
    Committed,

    /// <summary>The transaction this message was in failed: wait again, for a transaction of its own.</summary>
    TryAlone,
}

/// <summary>
/// The group commits of this process, one per batch consumer and queue, created on their first message. The gauge
/// <c>procexon.inbox.waiting_for_commit</c> says how many messages wait in each for a transaction: near the batch limit
/// for long, the consumer's transactions are what holds its queue back.
/// </summary>
internal sealed class GroupCommits
{
    private readonly ConcurrentDictionary<(Type Consumer, Uri Queue), IGroupCommit> _groups = new();

    public GroupCommits(IMeterFactory meters) =>
        meters.Create(MessagingDiagnostics.Name).CreateObservableGauge(
            "procexon.inbox.waiting_for_commit",
            () => _groups.Select(g => new Measurement<int>(
                g.Value.Waiting,
                new KeyValuePair<string, object?>("messaging.consumer.name", g.Key.Consumer.Name),
                new KeyValuePair<string, object?>("messaging.destination.name", g.Key.Queue.AbsolutePath.TrimStart('/')))),
            unit: "{message}",
            description: "Messages a batch consumer has been delivered that wait for a transaction to take them.");

    public GroupCommit<TMessage> Of<TMessage>(Type consumer, Uri queue, TimeSpan gatherFor)
        where TMessage : class =>
        (GroupCommit<TMessage>)_groups.GetOrAdd((consumer, queue),
            static (_, gatherFor) => new GroupCommit<TMessage>(BatchConsumers.MessageLimit, gatherFor), gatherFor);
}
