using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>
/// Records answers in fanned-out requests (erasure and the other rights) a batch at a time: the requests the batch is
/// about are locked in the statement that claims the batch in the inbox and then read in one query, every answer is
/// applied in the order it arrived, and a request whose last awaited answer is among them completes — all in one
/// transaction. Ten registers answering at once thus cost one commit, not ten, and still exactly one of them sees the
/// request complete (the row lock orders batches of other consumers and replicas). Idempotent through the inbox.
/// </summary>
public abstract partial class ErasureProgressConsumer<TMessage>(
    RightsRequestsContext db,
    IEventOutbox outbox,
    RightsRequestsMetrics metrics,
    TimeProvider clock,
    ILogger logger)
    : IdempotentBatchConsumer<TMessage, RightsRequestsContext>(db, clock, logger)
    where TMessage : class
{
    private readonly TimeProvider _clock = clock;
    private readonly ILogger _logger = logger;
    private readonly List<RightsRequest> _completing = [];
    private IReadOnlyDictionary<Guid, RightsRequest> _requests = new Dictionary<Guid, RightsRequest>();

    /// <summary>The request the message is about.</summary>
    protected abstract Guid RequestIdOf(TMessage message);

    /// <summary>Applies the message to the request and its fan-out rows; no I/O.</summary>
    protected abstract void Record(RightsRequest request, TMessage message, DateTimeOffset now);

    // Counted once the transaction has committed, so a rolled-back or redelivered batch counts nothing.
    protected sealed override void Committed()
    {
        foreach (var request in _completing)
        {
            metrics.Completed(request);
        }

        _completing.Clear();
    }

    // Locked with the inbox's claim: one round trip fewer per batch than a lock of its own.
    protected sealed override IReadOnlyList<LockedRows> RowsToLock(IReadOnlyList<ConsumeContext<TMessage>> batch) =>
        [new(RightsRequestsContext.RequestsTable, RequestIdsOf(batch))];

    protected sealed override async Task BeforeMessagesAsync(IReadOnlyList<ConsumeContext<TMessage>> messages, CancellationToken cancellationToken)
    {
        // A retried transaction starts again from here: forget what the failed attempt completed.
        _completing.Clear();
        _requests = await Db.ReadLockedRequestsAsync(RequestIdsOf(messages), cancellationToken);
    }

    private Guid[] RequestIdsOf(IReadOnlyList<ConsumeContext<TMessage>> messages) => [.. messages.Select(m => RequestIdOf(m.Message)).Distinct()];

    protected sealed override Task HandleAsync(ConsumeContext<TMessage> context, CancellationToken cancellationToken)
    {
        var requestId = RequestIdOf(context.Message);
        if (!_requests.TryGetValue(requestId, out var request))
        {
            LogUnknownRequest(_logger, typeof(TMessage).Name, requestId);
            return Task.CompletedTask;
        }

        var now = _clock.GetUtcNow();
        Record(request, context.Message, now);
        if (request.TryComplete(now))
        {
            RequestExecution.AnnounceCompletion(request, outbox);
            _completing.Add(request);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{MessageType} is about request {RequestId}, which this service does not know; ignored")]
    private static partial void LogUnknownRequest(ILogger logger, string messageType, Guid requestId);
}
