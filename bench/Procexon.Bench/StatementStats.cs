using Npgsql;

namespace Procexon.Bench;

/// <summary>
/// What the services asked PostgreSQL to do during a phase, from <c>pg_stat_statements</c> (loaded with
/// <c>--statements on</c>): per database and per statement, calls and execution time per completed erasure. Counts
/// are the machine-independent half (a statement run more often than the design says shows here whatever the spell);
/// the times are the server's wall time per statement, a commit's flush and a lock's wait included, and its planning
/// (a prepared statement planned again at each call shows as plans per call near one).
/// </summary>
internal sealed class StatementStats
{
    private readonly string _connectionString;

    private StatementStats(string connectionString) => _connectionString = connectionString;

    /// <summary>Empties the statistics for the phase about to start; null when the bench does not know the server.</summary>
    public static async Task<StatementStats?> StartAsync(Platform platform, BenchOptions options, CancellationToken cancellationToken)
    {
        if (!options.Statements || await platform.PostgresConnectionStringAsync(cancellationToken) is not { } server)
        {
            return null;
        }

        var stats = new StatementStats(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await using var connection = new NpgsqlConnection(stats._connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset();", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return stats;
    }

    /// <summary>Reads the statistics now (at the phase's last completion, before the bench's own reads) and prints them.</summary>
    public async Task PrintAsync(string phase, int erasures, CancellationToken cancellationToken)
    {
        var statements = new List<(string Database, long Calls, double Ms, double PlanMs, long Plans, long Rows, string Text)>();
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                """
                SELECT d.datname, s.calls, s.total_exec_time, s.total_plan_time, s.plans, s.rows, left(regexp_replace(s.query, '\s+', ' ', 'g'), 100)
                FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                WHERE d.datname LIKE '%db'
                """, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                statements.Add((reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetString(6)));
            }
        }

        var per = Math.Max(erasures, 1);
        var databases = new Table($"{phase}: PostgreSQL statements by database (pg_stat_statements, {erasures} erasures)",
            "database", "statements", "per erasure", "commits per erasure", "plans per erasure", "exec ms per erasure", "plan ms per erasure");
        void Totals(string label, IReadOnlyCollection<(string Database, long Calls, double Ms, double PlanMs, long Plans, long Rows, string Text)> rows)
        {
            var calls = rows.Sum(s => s.Calls);
            var commits = rows.Where(s => s.Text.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase)).Sum(s => s.Calls);
            databases.Row(label, Clock.F(calls, "F0"), Clock.F((double)calls / per), Clock.F((double)commits / per, "F2"),
                Clock.F((double)rows.Sum(s => s.Plans) / per), Clock.F(rows.Sum(s => s.Ms) / per, "F2"), Clock.F(rows.Sum(s => s.PlanMs) / per, "F2"));
        }

        foreach (var database in statements.GroupBy(s => s.Database).OrderByDescending(g => g.Sum(s => s.Ms)))
        {
            Totals(database.Key, [.. database]);
        }

        Totals("all", statements);
        databases.Print();

        var top = new Table($"{phase}: statements by execution time (first 100 characters)",
            "database", "per erasure", "plans per call", "mean ms", "rows per call", "ms per erasure", "plan ms per erasure", "statement");
        foreach (var s in statements.OrderByDescending(s => s.Ms + s.PlanMs).Take(30))
        {
            top.Row(s.Database, Clock.F((double)s.Calls / per, "F2"), Clock.F((double)s.Plans / Math.Max(s.Calls, 1), "F2"), Clock.F(s.Ms / Math.Max(s.Calls, 1), "F3"),
                Clock.F((double)s.Rows / Math.Max(s.Calls, 1)), Clock.F(s.Ms / per, "F3"), Clock.F(s.PlanMs / per, "F3"), s.Text);
        }

        top.Print();
    }
}
