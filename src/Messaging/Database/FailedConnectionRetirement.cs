using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Procexon.Messaging.Database;

/// <summary>
/// Retires the physical connection a command failed or was cancelled on, so the pool never hands it out again. Npgsql's
/// automatic preparation can leave a connection's prepared statements corrupt after such a command
/// (npgsql/npgsql#6391), and the next save on it then fails with "Received unexpected backend message DataRow".
/// Clearing the pool closes its idle connections and this one when it is returned; failures are rare enough that
/// opening new connections afterwards costs less than preparing nothing.
/// </summary>
public sealed class FailedConnectionRetirement : DbCommandInterceptor
{
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Retire(command);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Retire(command);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Retire(command);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Retire(command);
        return Task.CompletedTask;
    }

    private static void Retire(DbCommand command)
    {
        if (command.Connection is NpgsqlConnection connection)
        {
            NpgsqlConnection.ClearPool(connection);
        }
    }
}
