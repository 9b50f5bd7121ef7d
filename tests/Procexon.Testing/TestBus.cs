using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Procexon.Testing;

/// <summary>
/// The pieces every service's fixture uses around the service it starts: a second bus on the same broker that plays the
/// services around it (a probe that records what is published, a stand-in that answers), what the service's consumers
/// finished, and the order fixtures stop in.
/// </summary>
public static class TestBus
{
    /// <summary>
    /// A started host with a bus of its own on <paramref name="broker"/>: its endpoints are named <c>{name}-…</c>, its
    /// consumers are what <paramref name="consumers"/> adds, and <paramref name="services"/> gives them what they record into.
    /// </summary>
    public static async Task<IHost> StartAsync(
        RabbitMqServer broker, string name, Action<IBusRegistrationConfigurator> consumers, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        services?.Invoke(builder.Services);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(name, includeNamespace: false));
            consumers(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker.Uri);
                rabbit.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>A probe that records every <paramref name="events"/> published, into <paramref name="published"/>.</summary>
    public static Task<IHost> StartProbeAsync(RabbitMqServer broker, string name, PublishedMessages published, params Type[] events) =>
        StartAsync(broker, name, bus =>
        {
            foreach (var type in events)
            {
                bus.AddConsumer(typeof(PublishedMessages.Recorder<>).MakeGenericType(type));
            }
        }, services => services.AddSingleton(published));

    /// <summary>Stops and disposes, in the order given (hosts before the servers they use); nulls, from a start that failed, are passed over.</summary>
    public static async Task StopAsync(params object?[] parts)
    {
        foreach (var part in parts)
        {
            if (part is IHost host)
            {
                await host.StopAsync();
            }

            if (part is PostgresServer)
            {
                // PostgreSQL's polite shutdown waits for every client to leave, pooled idle connections included.
                Npgsql.NpgsqlConnection.ClearAllPools();
            }

            switch (part)
            {
                case IAsyncDisposable asynchronous:
                    await asynchronous.DisposeAsync();
                    break;
                case IDisposable synchronous:
                    synchronous.Dispose();
                    break;
            }
        }
    }
}

/// <summary>Everything a probe saw published.</summary>
public sealed class PublishedMessages
{
    private readonly ConcurrentQueue<object> _messages = new();

    public IReadOnlyList<T> All<T>() => [.. _messages.OfType<T>()];

    public sealed class Recorder<T>(PublishedMessages published) : IConsumer<T> where T : class
    {
        public Task Consume(ConsumeContext<T> context)
        {
            published._messages.Enqueue(context.Message);
            return Task.CompletedTask;
        }
    }
}

/// <summary>Counts, per message id, the deliveries the service's consumers finished (handled, or skipped by the inbox), and their faults.</summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();
    private readonly ConcurrentDictionary<Guid, string> _faults = new();

    public int TimesConsumed(Guid messageId) => _consumed.GetValueOrDefault(messageId);

    /// <summary>Waits until the message was consumed <paramref name="times"/>; throws with the consumer's error when it failed.</summary>
    public async Task WaitUntilConsumedAsync(Guid messageId, int times, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (TimesConsumed(messageId) < times && !_faults.ContainsKey(messageId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        if (_faults.TryGetValue(messageId, out var fault))
        {
            throw new InvalidOperationException($"The consumer failed on message {messageId}: {fault}");
        }

        Assert.True(TimesConsumed(messageId) >= times,
            $"Message {messageId} was consumed {TimesConsumed(messageId)} times, not {times}, within {timeout.TotalSeconds:F0} s.");
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id)
        {
            _consumed.AddOrUpdate(id, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        if (context.MessageId is { } id)
        {
            _faults[id] = exception.Message;
        }

        return Task.CompletedTask;
    }
}
