using Npgsql;

namespace Procexon.Messaging.Tests;

/// <summary>
/// How PostgreSQL planned the calls of a statement Npgsql prepared on <paramref name="connection"/>: with its generic
/// plan or with the call's values (<c>pg_prepared_statements</c>, which only sees the connection's own statements).
/// </summary>
internal static class PreparedStatementPlans
{
    public static async Task<(long Generic, long Custom)> OfAsync(NpgsqlConnection connection, string like)
    {
        await using var plans = new NpgsqlCommand(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE $1", connection);
        plans.Parameters.Add(new NpgsqlParameter { Value = like });
        await using var reader = await plans.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"Npgsql prepared no statement like '{like}' on this connection.");
        var counts = (reader.GetInt64(0), reader.GetInt64(1));
        Assert.False(await reader.ReadAsync(), $"More than one prepared statement is like '{like}'.");
        return counts;
    }
}
