using System.Text.RegularExpressions;
using Npgsql;

namespace Procexon.AppHost.Infrastructure;

/// <summary>
/// Each service's database belongs to roles of its own, never the superuser (the security review, item 9):
/// <c>{database}_owner</c> owns the database and its schema and runs the service's migrations;
/// <c>{database}_app</c>, which the service runs as, may connect to its own database only and read and write rows, but
/// own nothing, so it cannot drop or alter a table or a trigger (the audit trail's append-only guard included), and
/// cannot connect to another service's database (CONNECT is revoked from PUBLIC). Run by the AppHost when PostgreSQL is
/// ready and by the test fixtures (this file is linked into <c>Procexon.Testing</c>), as the superuser; idempotent, so
/// it also hands over tables an earlier run created as the superuser.
/// </summary>
public static partial class ServiceDatabaseRoles
{
    public static string OwnerOf(string database) => $"{database}_owner";

    public static string RuntimeOf(string database) => $"{database}_app";

    /// <summary>The name under which a service finds its migration connection string (<c>ConnectionStrings:{database}-owner</c>).</summary>
    public static string OwnerConnectionName(string database) => $"{database}-owner";

    public static async Task EnsureAsync(
        string superuserConnectionString, string database, string ownerPassword, string runtimePassword, CancellationToken cancellationToken)
    {
        if (!Identifier().IsMatch(database))
        {
            throw new ArgumentException($"'{database}' is not a plain database name.", nameof(database));
        }

        var (owner, runtime) = (OwnerOf(database), RuntimeOf(database));
        var server = new NpgsqlConnectionStringBuilder(superuserConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, $"""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN CREATE ROLE {owner}; END IF;
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{runtime}') THEN CREATE ROLE {runtime}; END IF;
                END $$;
                ALTER ROLE {owner} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD {Literal(ownerPassword)};
                ALTER ROLE {runtime} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD {Literal(runtimePassword)};
                """, cancellationToken);
            await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_database WHERE datname = @name)", connection))
            {
                exists.Parameters.AddWithValue("name", database);
                if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                {
                    await ExecuteAsync(connection, $"CREATE DATABASE {database} OWNER {owner}", cancellationToken);
                }
            }

            await ExecuteAsync(connection, $"""
                ALTER DATABASE {database} OWNER TO {owner};
                REVOKE ALL ON DATABASE {database} FROM PUBLIC;
                GRANT CONNECT ON DATABASE {database} TO {runtime};
                """, cancellationToken);
        }

        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, $$"""
                ALTER SCHEMA public OWNER TO {{owner}};
                DO $$
                DECLARE item record;
                BEGIN
                  -- Tables, sequences and views an earlier run created as the superuser go to the owner (a column's own
                  -- sequence follows its table).
                  FOR item IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
                        AND pg_get_userbyid(c.relowner) <> '{{owner}}'
                        AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
                  LOOP
                    EXECUTE format('ALTER %s %I OWNER TO {{owner}}',
                      CASE item.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                      item.relname);
                  END LOOP;
                  FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                      WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '{{owner}}'
                  LOOP
                    EXECUTE format('ALTER FUNCTION %s OWNER TO {{owner}}', item.signature);
                  END LOOP;
                END $$;
                REVOKE CREATE ON SCHEMA public FROM PUBLIC;
                GRANT USAGE ON SCHEMA public TO {{runtime}};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {{runtime}};
                GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {{runtime}};
                ALTER DEFAULT PRIVILEGES FOR ROLE {{owner}} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {{runtime}};
                ALTER DEFAULT PRIVILEGES FOR ROLE {{owner}} IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {{runtime}};
                """, cancellationToken);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A password as an SQL string literal (DDL takes no parameters).</summary>
    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[a-z][a-z0-9_]{0,40}$")]
    private static partial Regex Identifier();
}
