using System.Globalization;
using Npgsql;

namespace Procexon.Bench;

/// <summary>
/// Samples <c>pg_stat_activity</c> of the services' databases every 100 ms during a phase: how many sessions were
/// running a statement, waiting on a lock or on the WAL flush, or holding a transaction open while the service
/// computed (idle in transaction), and which statements were seen most; and, at the end, how many messages each consumer
/// took per transaction (its inbox rows, which a transaction stamps with one time). Bench-hosted platform only.
/// </summary>
internal sealed class PgActivitySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Dictionary<(string Database, string State), int> _states = [];
    private readonly Dictionary<(string Database, string Query), int> _queries = [];
    private readonly string _connectionString;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private int _samples;

    private PgActivitySampler(string connectionString)
    {
        _connectionString = connectionString;
        _loop = Task.Run(() => LoopAsync(connectionString), CancellationToken.None);
    }

    public static async Task<PgActivitySampler?> StartAsync(Platform platform, CancellationToken cancellationToken)
    {
        var server = await platform.PostgresConnectionStringAsync(cancellationToken);
        return server is null ? null : new PgActivitySampler(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
    }

    private async Task LoopAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(_stop.Token);
            await using var command = new NpgsqlCommand(
                """
                SELECT datname, state, coalesce(wait_event_type, ''), coalesce(wait_event, ''), left(regexp_replace(query, '\s+', ' ', 'g'), 70)
                FROM pg_stat_activity
                WHERE datname LIKE '%db' AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'
                """, connection);
            while (!_stop.IsCancellationRequested)
            {
                await using (var reader = await command.ExecuteReaderAsync(_stop.Token))
                {
                    while (await reader.ReadAsync(_stop.Token))
                    {
                        var database = reader.GetString(0);
                        var state = reader.IsDBNull(1) ? "?" : reader.GetString(1);
                        var waitType = reader.GetString(2);
                        var wait = reader.GetString(3);
                        var label = state switch
                        {
                            "active" when waitType == "Lock" => $"waiting on a lock ({wait})",
                            "active" when waitType is "IO" or "LWLock" => $"waiting {waitType}:{wait}",
                            "active" when waitType.Length > 0 => $"active, {waitType}:{wait}",
                            "active" => "running a statement (CPU)",
                            "idle in transaction" => "idle in transaction (service computing / round trip)",
                            _ => state,
                        };
                        Add(_states, (database, label));
                        if (state == "active")
                        {
                            Add(_queries, (database, reader.GetString(4)));
                        }
                    }
                }

                _samples++;
                await Task.Delay(100, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (NpgsqlException ex)
        {
            Console.WriteLine($"(pg_stat_activity sampling stopped: {ex.Message})");
        }
    }

    private static void Add<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    public async Task PrintAsync(string phase)
    {
        await _stop.CancelAsync();
        await _loop;
        if (_samples == 0)
        {
            return;
        }

        var table = new Table($"{phase}: PostgreSQL sessions by state ({_samples} samples of pg_stat_activity, 100 ms apart)", "database", "state", "avg sessions");
        foreach (var ((database, state), count) in _states.OrderBy(s => s.Key.Database, StringComparer.Ordinal).ThenByDescending(s => s.Value))
        {
            table.Row(database, state, ((double)count / _samples).ToString("F2", CultureInfo.InvariantCulture));
        }

        table.Print();
        var queries = new Table($"{phase}: statements most often seen running", "database", "statement (first 70 characters)", "avg sessions");
        foreach (var ((database, query), count) in _queries.OrderByDescending(q => q.Value).Take(12))
        {
            queries.Row(database, query, ((double)count / _samples).ToString("F2", CultureInfo.InvariantCulture));
        }

        queries.Print();
        await PrintBatchesAsync(phase);
    }

    /// <summary>
    /// Messages per transaction by consumer over the phase. A batch consumer claims its whole batch in one statement, so
    /// its inbox rows share one <c>processed_at</c>; a single-message consumer shows batches of one. Small batches under
    /// load mean a transaction, a commit and a lock per few messages: the cost batching was meant to spread.
    /// </summary>
    private async Task PrintBatchesAsync(string phase)
    {
        var table = new Table($"{phase}: messages per transaction by consumer (inbox rows sharing a time)",
            "database", "consumer", "messages", "transactions", "mean", "p50", "p90", "max");
        try
        {
            await using var server = new NpgsqlConnection(_connectionString);
            await server.OpenAsync();
            var databases = new List<string>();
            await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE '%db' ORDER BY datname", server))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    databases.Add(reader.GetString(0));
                }
            }

            foreach (var database in databases)
            {
                try
                {
                    await ReadBatchesAsync(database, table);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
                {
                    // The identity provider's database has no inbox: it consumes no messages.
                }
            }
        }
        catch (NpgsqlException ex)
        {
            Console.WriteLine($"(batch sizes not read: {ex.Message})");
        }

        table.Print();
    }

    private async Task ReadBatchesAsync(string database, Table table)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Database = database }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT consumer, sum(n)::int, count(*)::int, avg(n)::float8,
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY n)::int, percentile_disc(0.9) WITHIN GROUP (ORDER BY n)::int, max(n)::int
            FROM (SELECT consumer, count(*) AS n FROM inbox_messages WHERE processed_at >= $1 GROUP BY consumer, processed_at) AS batches
            GROUP BY consumer ORDER BY sum(n) DESC
            """, connection);
        command.Parameters.AddWithValue(_started);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            table.Row(database, reader.GetString(0), Clock.F(reader.GetInt32(1), "F0"), Clock.F(reader.GetInt32(2), "F0"),
                Clock.F(reader.GetDouble(3)), Clock.F(reader.GetInt32(4), "F0"), Clock.F(reader.GetInt32(5), "F0"), Clock.F(reader.GetInt32(6), "F0"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
