using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Procexon.Messaging.Database;

/// <summary>
/// Npgsql's automatic preparation can leave a connection's prepared statements corrupt when a command fails or is
/// cancelled in the execution that prepares it (npgsql/npgsql#6391, open): the next use of that statement on the same
/// physical connection then fails with "Received unexpected backend message DataRow". So a connection a command failed
/// on forgets its prepared statements before it goes back to the pool, and prepares them again as they come; every
/// other connection keeps its own. (Clearing the whole pool on each failure cost as much as preparing nothing.)
/// </summary>
public sealed class PreparedStatementReset : IDbCommandInterceptor, IDbConnectionInterceptor
{
    private static readonly object s_failed = new();

    // The connection object EF keeps for a pooled context: a failure marks it until it is next closed.
    private readonly ConditionalWeakTable<DbConnection, object> _failedConnections = [];

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => MarkFailed(command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        MarkFailed(command);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => MarkFailed(command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        MarkFailed(command);
        return Task.CompletedTask;
    }

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        ForgetPreparedStatements(connection);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        ForgetPreparedStatements(connection);
        return ValueTask.FromResult(result);
    }

    private void MarkFailed(DbCommand command)
    {
        if (command.Connection is { } connection)
        {
            _failedConnections.AddOrUpdate(connection, s_failed);
        }
    }

    private void ForgetPreparedStatements(DbConnection connection)
    {
        // Closing comes after the failed transaction's rollback, so the connection is idle and may talk to the server;
        // a broken one is not returned to the pool and needs nothing. Npgsql has no asynchronous form of this call.
        if (_failedConnections.Remove(connection) && connection is NpgsqlConnection { State: System.Data.ConnectionState.Open } npgsql)
        {
            npgsql.UnprepareAll();
            OutboxMetrics.PreparedStatementResets.Add(1);
        }
    }
}
