using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Procexon.Bench;

internal sealed record BaselineResult(Percentiles GatewayGet, Percentiles RequestGet, Percentiles Health, Percentiles? BrokerHop, Percentiles? BrokerRequestReply,
    double? BrokerMessagesPerSecond, Percentiles? PostgresCommit, Percentiles? PostgresSelect);

/// <summary>
/// Phase b: what the same machine does in the same run for the simplest calls, so that erasure figures read as
/// ratios: a gateway GET, one MassTransit hop over the same RabbitMQ, one PostgreSQL commit on the same server.
/// </summary>
internal static class Baselines
{
    public static async Task<BaselineResult> RunAsync(GatewayClient gateway, Platform platform, int calls, Guid anyRequest, CancellationToken cancellationToken)
    {
        var gatewayGet = await SequentialAsync(calls, () => gateway.GetAndDiscardAsync("/api/registers/customers", cancellationToken));
        var requestGet = await SequentialAsync(calls, () => gateway.GetAndDiscardAsync($"/api/requests/{anyRequest}", cancellationToken));
        var health = await SequentialAsync(Math.Min(calls, 100), () => gateway.GetAndDiscardAsync("/health", cancellationToken));

        Percentiles? hop = null, requestReply = null, commit = null, select = null;
        double? throughput = null;
        var broker = await platform.BrokerUriAsync(cancellationToken);
        if (broker is not null)
        {
            (hop, requestReply, throughput) = await BrokerAsync(new Uri(broker), calls, cancellationToken);
        }

        var postgres = await platform.PostgresConnectionStringAsync(cancellationToken);
        if (postgres is not null)
        {
            (commit, select) = await PostgresAsync(postgres, calls, cancellationToken);
        }

        var table = new Table("b. Baselines (same machine, same run)", "baseline", "n", "p50 ms", "p95 ms", "p99 ms", "max ms")
            .Row("gateway GET /api/registers/customers", gatewayGet)
            .Row("gateway GET /api/requests/{id}", requestGet)
            .Row("gateway GET /health (asks 4 services)", health);
        if (hop is not null)
        {
            table.Row("MassTransit publish → consume (quorum queue)", hop);
            table.Row("MassTransit request → response", requestReply!);
        }

        if (commit is not null)
        {
            table.Row("PostgreSQL INSERT + COMMIT (fsync on)", commit);
            table.Row("PostgreSQL SELECT 1", select!);
        }

        table.Print();
        if (throughput is not null)
        {
            Console.WriteLine($"MassTransit durable throughput (publish with confirms → consume, 256 in flight): {Clock.F(throughput.Value, "F0")} messages/s");
        }
        else
        {
            Console.WriteLine("MassTransit and PostgreSQL baselines skipped: with --gateway the bench does not know the platform's broker or database.");
        }

        return new BaselineResult(gatewayGet, requestGet, health, hop, requestReply, throughput, commit, select);
    }

    private static async Task<Percentiles> SequentialAsync(int calls, Func<Task> call)
    {
        for (var i = 0; i < Math.Min(50, calls / 5); i++)
        {
            await call();
        }

        var samples = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Clock.Now;
            await call();
            samples[i] = Clock.Ms(start, Clock.Now);
        }

        return new Percentiles(samples);
    }

    /// <summary>A tiny bus of the bench's own on the platform's broker: one consumer on a durable quorum queue, as the services have.</summary>
    private static async Task<(Percentiles Hop, Percentiles RequestReply, double Throughput)> BrokerAsync(Uri broker, int calls, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ProbeSink>();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<ProbeConsumer>();
            bus.AddConsumer<PingConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker);
                rabbit.ReceiveEndpoint("bench-probe", endpoint =>
                {
                    endpoint.SetQuorumQueue();
                    endpoint.ConfigureConsumer<ProbeConsumer>(context);
                });
                rabbit.ReceiveEndpoint("bench-ping", endpoint =>
                {
                    endpoint.SetQuorumQueue();
                    endpoint.ConfigureConsumer<PingConsumer>(context);
                });
            });
        });
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        var sink = provider.GetRequiredService<ProbeSink>();
        await bus.StartAsync(cancellationToken);
        try
        {
            var hop = await SequentialAsync(calls, async () =>
            {
                var id = Guid.NewGuid();
                var consumed = sink.Expect(id);
                await bus.Publish(new BenchProbe(id), cancellationToken);
                await consumed.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            });

            var client = bus.CreateRequestClient<BenchPing>(TimeSpan.FromSeconds(10));
            var requestReply = await SequentialAsync(calls, async () => await client.GetResponse<BenchPong>(new BenchPing(Guid.NewGuid()), cancellationToken));

            const int Messages = 10_000;
            var all = sink.ExpectCount(Messages);
            using var inFlight = new SemaphoreSlim(256);
            var start = Clock.Now;
            var publishes = Enumerable.Range(0, Messages).Select(async _ =>
            {
                await inFlight.WaitAsync(cancellationToken);
                try
                {
                    await bus.Publish(new BenchProbe(Guid.Empty), cancellationToken);
                }
                finally
                {
                    inFlight.Release();
                }
            });
            await Task.WhenAll(publishes);
            await all.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            var throughput = Messages / (Clock.Ms(start, Clock.Now) / 1000);
            return (hop, requestReply, throughput);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>One row per commit in a database of the bench's own on the platform's server (fsync is on, as for the services).</summary>
    private static async Task<(Percentiles Commit, Percentiles Select)> PostgresAsync(string server, int calls, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using (var admin = new NpgsqlConnection(builder.ConnectionString))
        {
            await admin.OpenAsync(cancellationToken);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = 'bench_probe'", admin);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await using var create = new NpgsqlCommand("CREATE DATABASE bench_probe", admin);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        builder.Database = "bench_probe";
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var table = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS probe (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), body text)", connection))
        {
            await table.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = new NpgsqlCommand("INSERT INTO probe (body) VALUES ($1)", connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = new string('x', 200) });
        await insert.PrepareAsync(cancellationToken);
        var commit = await SequentialAsync(calls, async () => await insert.ExecuteNonQueryAsync(cancellationToken));

        await using var select = new NpgsqlCommand("SELECT 1", connection);
        var selectOne = await SequentialAsync(calls, async () => await select.ExecuteScalarAsync(cancellationToken));
        return (commit, selectOne);
    }
}

public sealed record BenchProbe(Guid Id);

public sealed record BenchPing(Guid Id);

public sealed record BenchPong(Guid Id);

public sealed class ProbeSink
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();
    private TaskCompletionSource? _all;
    private int _remaining;

    public Task Expect(Guid id) => _waiting.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public Task ExpectCount(int count)
    {
        _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, count);
        return _all.Task;
    }

    public void Consumed(Guid id)
    {
        if (id == Guid.Empty)
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _all?.TrySetResult();
            }

            return;
        }

        if (_waiting.TryRemove(id, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}

public sealed class ProbeConsumer(ProbeSink sink) : IConsumer<BenchProbe>
{
    public Task Consume(ConsumeContext<BenchProbe> context)
    {
        sink.Consumed(context.Message.Id);
        return Task.CompletedTask;
    }
}

public sealed class PingConsumer : IConsumer<BenchPing>
{
    public Task Consume(ConsumeContext<BenchPing> context) => context.RespondAsync(new BenchPong(context.Message.Id));
}
