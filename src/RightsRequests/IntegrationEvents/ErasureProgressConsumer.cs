using MassTransit;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;

namespace Procexon.RightsRequests.IntegrationEvents;

/// <summary>
/// Records one answer in an erasure request's fan-out, under the request's row lock, and completes the request when
/// that answer was the last one awaited: ten registers answering at once serialise on the lock, so exactly one of
/// them sees the fan-out complete. Idempotent through the inbox.
/// </summary>
public abstract partial class ErasureProgressConsumer<TMessage>(
    RightsRequestsContext db,
    IEventOutbox outbox,
    RightsRequestsMetrics metrics,
    TimeProvider clock,
    ILogger logger)
    : IdempotentConsumer<TMessage, RightsRequestsContext>(db, clock, logger), IConsumer<TMessage>
    where TMessage : class
{
    private readonly TimeProvider _clock = clock;
    private readonly ILogger _logger = logger;
    private RightsRequest? _completed;

    /// <summary>The request the message is about.</summary>
    protected abstract Guid RequestIdOf(TMessage message);

    /// <summary>Applies the message to the request and its fan-out rows; no I/O.</summary>
    protected abstract void Record(RightsRequest request, TMessage message, DateTimeOffset now);

    // Counted once the inbox transaction has committed, so a rolled-back or redelivered message counts nothing.
    async Task IConsumer<TMessage>.Consume(ConsumeContext<TMessage> context)
    {
        _completed = null;
        await base.Consume(context);
        if (_completed is { } request)
        {
            metrics.Completed(request);
        }
    }

    protected sealed override async Task HandleAsync(ConsumeContext<TMessage> context, CancellationToken cancellationToken)
    {
        _completed = null;
        var requestId = RequestIdOf(context.Message);
        var request = await Db.LockRequestAsync(requestId, cancellationToken);
        if (request is null)
        {
            LogUnknownRequest(_logger, typeof(TMessage).Name, requestId);
            return;
        }

        var now = _clock.GetUtcNow();
        Record(request, context.Message, now);
        if (request.TryComplete(now))
        {
            outbox.Add(new RightsRequestCompleted(request.Id, RequestText.Kebab(request.Type), request.CompletedAt!.Value));
            _completed = request;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{MessageType} is about request {RequestId}, which this service does not know; ignored")]
    private static partial void LogUnknownRequest(ILogger logger, string messageType, Guid requestId);
}
