namespace Procexon.RightsRequests.Infrastructure;

/// <summary>
/// What EF cannot express: the database itself refuses to change or remove an audit entry, whoever asks (the
/// service's own connection included). Called from the Initial migration; re-add the two calls after regenerating it:
/// <c>migrationBuilder.Sql(AppendOnlyAuditSql.Create)</c> at the end of Up, <c>migrationBuilder.Sql(AppendOnlyAuditSql.Drop)</c>
/// at the start of Down.
/// </summary>
public static class AppendOnlyAuditSql
{
    public const string Table = "request_audit_entries";

    /// <summary>The SQLSTATE the refusal raises (raise_exception), for callers and tests.</summary>
    public const string RefusedSqlState = "P0001";

    public const string Create = """
        CREATE FUNCTION request_audit_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'request_audit_entries is append-only: % refused', TG_OP
                USING ERRCODE = 'P0001', HINT = 'Audit entries are only ever added.';
        END;
        $$;

        CREATE TRIGGER request_audit_entries_no_update_or_delete
            BEFORE UPDATE OR DELETE ON request_audit_entries
            FOR EACH ROW EXECUTE FUNCTION request_audit_entries_refuse_change();

        CREATE TRIGGER request_audit_entries_no_truncate
            BEFORE TRUNCATE ON request_audit_entries
            FOR EACH STATEMENT EXECUTE FUNCTION request_audit_entries_refuse_change();
        """;

    public const string Drop = """
        DROP TRIGGER IF EXISTS request_audit_entries_no_truncate ON request_audit_entries;
        DROP TRIGGER IF EXISTS request_audit_entries_no_update_or_delete ON request_audit_entries;
        DROP FUNCTION IF EXISTS request_audit_entries_refuse_change();
        """;
}
