using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;

namespace Procexon.Bench;

/// <summary>
/// How a phase sees its erasures complete: every <see cref="Interval"/> it looks at the verified erasures not yet seen
/// complete, and marks those it finds complete with <see cref="Erasure.ObservedAt"/>.
/// </summary>
internal abstract class CompletionWatch : IAsyncDisposable
{
    /// <summary>The requests the last phase's watch read from the platform.</summary>
    protected long Reads { get; private set; }

    /// <summary>How long the watch waits between two looks.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One line for the report: how completion was seen, and what that cost the platform.</summary>
    public abstract string Describe();

    /// <summary>
    /// Watches until no verified erasure is left pending and <paramref name="moreToCome"/> says no verification will
    /// follow, or until <paramref name="deadline"/>.
    /// </summary>
    public async Task WatchAsync(IReadOnlyList<Erasure> items, Func<bool> moreToCome, long deadline, CancellationToken cancellationToken)
    {
        Reads = 0;
        while (Clock.Now < deadline && !cancellationToken.IsCancellationRequested)
        {
            // Read before the pending list: a verification that lands between the two is then still looked at.
            var more = moreToCome();
            var pending = items.Where(i => i.Verified && i.ObservedAt == 0).ToList();
            if (pending.Count == 0 && !more)
            {
                return;
            }

            Reads += await LookAsync(pending, cancellationToken);
            try
            {
                await Task.Delay(Interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One look at the erasures still pending, oldest first; returns how many requests it read from the platform.</summary>
    protected abstract Task<int> LookAsync(List<Erasure> pending, CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// Sees the requests complete by polling <c>GET /api/requests/{id}</c> in sweeps, one every <c>interval</c>: a sweep
/// polls the oldest verified requests not yet seen completed, <c>concurrency</c> at a time, and stops at the first group
/// none of which has completed. Completions come roughly in verification order, so this costs about one GET per
/// completion and one group per sweep. The only way for a platform the bench did not start (<c>--gateway</c>), whose
/// broker it does not know; each GET is load on the gateway and RightsRequests that the figures then include.
/// </summary>
internal sealed class CompletionPolls(GatewayClient gateway, TimeSpan interval, int concurrency) : CompletionWatch
{
    protected override TimeSpan Interval => interval;

    public override string Describe() =>
        $"completion seen by {Reads} polls in sweeps every {interval.TotalMilliseconds} ms, oldest first (client latency is quantised by that; the polls are load the platform's figures include)";

    protected override async Task<int> LookAsync(List<Erasure> pending, CancellationToken cancellationToken)
    {
        var polls = 0;
        foreach (var group in pending.Chunk(concurrency))
        {
            polls += group.Length;
            var done = await Task.WhenAll(group.Select(item => ErasurePhases.ReadStatusAsync(gateway, item, cancellationToken)));
            if (!done.Any(d => d))
            {
                break;
            }
        }

        return polls;
    }
}

/// <summary>
/// Sees the requests complete by the event RightsRequests publishes for anyone when a request completes
/// (<see cref="RightsRequestCompleted"/>), on the broker of the platform the bench started: a queue of the bench's own,
/// bound to the event's exchange, one delivery per erasure and no read on the platform while a phase runs (what a
/// subscriber to completions would cost a deployment). The server's timestamps are read once each after the phase,
/// outside what it measures (<see cref="ErasurePhases.ReadServerTimesAsync"/>).
/// </summary>
internal sealed class CompletionEvents : CompletionWatch
{
    private readonly ServiceProvider _provider;
    private readonly IBusControl _bus;
    private readonly CompletionSink _sink;

    private CompletionEvents(ServiceProvider provider)
    {
        _provider = provider;
        _bus = provider.GetRequiredService<IBusControl>();
        _sink = provider.GetRequiredService<CompletionSink>();
    }

    public static async Task<CompletionEvents> StartAsync(Uri broker, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<CompletionSink>();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<CompletionConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker);
                rabbit.ReceiveEndpoint("bench-completions", endpoint =>
                {
                    // The bench's alone and only while it runs: gone with its connection, nothing kept on disk.
                    endpoint.Durable = false;
                    endpoint.AutoDelete = true;
                    endpoint.PrefetchCount = 256;
                    endpoint.ConfigureConsumer<CompletionConsumer>(context);
                });
            });
        });
        var provider = services.BuildServiceProvider();
        var watch = new CompletionEvents(provider);
        await watch._bus.StartAsync(cancellationToken);
        return watch;
    }

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(20);

    public override string Describe() =>
        "completion seen by the platform's RightsRequestCompleted events on a queue of the bench's (no read on the platform during the phase; server timestamps read after it)";

    protected override Task<int> LookAsync(List<Erasure> pending, CancellationToken cancellationToken)
    {
        foreach (var item in pending)
        {
            if (_sink.Seen.TryGetValue(item.Id, out var seenAt))
            {
                item.ObservedAt = seenAt;
            }
        }

        return Task.FromResult(0);
    }

    public override async ValueTask DisposeAsync()
    {
        await _bus.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>When each request's completion arrived, on the bench's clock; the first delivery counts.</summary>
public sealed class CompletionSink
{
    public ConcurrentDictionary<Guid, long> Seen { get; } = new();
}

public sealed class CompletionConsumer(CompletionSink sink) : IConsumer<RightsRequestCompleted>
{
    public Task Consume(ConsumeContext<RightsRequestCompleted> context)
    {
        sink.Seen.TryAdd(context.Message.RequestId, Clock.Now);
        return Task.FromResult(0);
    }
}
