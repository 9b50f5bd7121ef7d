using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Procexon.Registry.DemoData;

/// <summary>What a demo-data load did, and how fast.</summary>
public sealed record DemoDataLoaded(long Subjects, long Records, double Seconds)
{
    public double SubjectsPerSecond => Subjects / Math.Max(Seconds, 0.001);

    public double RecordsPerSecond => Records / Math.Max(Seconds, 0.001);
}

/// <summary>
/// Loads generated demo subjects with PostgreSQL's binary COPY, in batches that each commit on their own: a million
/// subjects take minutes, not hours. COPY bypasses EF, so this class writes the protected columns itself with the same
/// <see cref="IdentifierProtection"/> (hashes, encrypted identity code) the model uses.
/// </summary>
public sealed partial class DemoDataLoader(
    RegistryContext db, IdentifierProtection protection, TimeProvider clock, IConfiguration configuration, ILogger<DemoDataLoader> logger)
{
    private const int BatchSize = 20_000;
    public const string Sequence = "registry_demo_subjects";
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public async Task<DemoDataLoaded> LoadAsync(int subjects, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(subjects);
        var started = Stopwatch.GetTimestamp();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var first = await ReserveAsync(connection, subjects, cancellationToken);
            var generator = new DemoDataGenerator(unchecked((int)first), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
            long records = 0;
            for (var offset = 0; offset < subjects; offset += BatchSize)
            {
                var batch = Enumerable.Range(offset, Math.Min(BatchSize, subjects - offset)).Select(i => generator.Next(first + i)).ToList();
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await CopySubjectsAsync(connection, batch.Select(b => b.Subject), cancellationToken);
                records += await CopyRecordsAsync(connection, batch.SelectMany(b => b.Records), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                LogBatch(logger, offset + batch.Count, subjects);
            }

            await AnalyzeAsync(connection, cancellationToken);

            var loaded = new DemoDataLoaded(subjects, records, Stopwatch.GetElapsedTime(started).TotalSeconds);
            LogLoaded(logger, loaded.Subjects, loaded.Records, loaded.Seconds, loaded.SubjectsPerSecond);
            return loaded;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Fresh statistics for the planner after a bulk load. Only a table's owner may analyze it, and the service runs as
    /// a role that owns nothing, so this uses the schema owner's connection when the AppHost gives one.
    /// </summary>
    private async Task AnalyzeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (configuration.GetConnectionString("registrydb-owner") is { } owner)
        {
            await using var owned = new NpgsqlConnection(owner);
            await owned.OpenAsync(cancellationToken);
            await ExecuteAsync(owned, "ANALYZE subjects; ANALYZE records", cancellationToken);
            return;
        }

        await ExecuteAsync(connection, "ANALYZE subjects; ANALYZE records", cancellationToken);
    }

    /// <summary>Sequence numbers for this load, never handed out twice: identifiers derive from them and must stay unique.</summary>
    private static async Task<long> ReserveAsync(NpgsqlConnection connection, int count, CancellationToken cancellationToken)
    {
        // The sequence is the schema's (migration DemoSubjectSequence): the service's role may use it, not create it.
        // Two loads at once each get a contiguous range: the lock makes nextval + setval one step.
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock(hashtext('{Sequence}'))", cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand($"SELECT setval('{Sequence}', nextval('{Sequence}') + $1 - 1) - $1 + 1", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = (long)count });
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock(hashtext('{Sequence}'))", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task CopySubjectsAsync(NpgsqlConnection connection, IEnumerable<DemoSubject> subjects, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY subjects (id, name, email_encrypted, phone_encrypted, hetu_encrypted, business_id_encrypted, customer_number_encrypted, created_at, "
            + "email_hash, phone_hash, hetu_hash, business_id_hash, customer_number_hash) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var s in subjects)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(s.Id, NpgsqlDbType.Uuid, cancellationToken);
            await WriteAsync(writer, s.Name, NpgsqlDbType.Varchar, cancellationToken);
            // As the model's converters write them (SubjectIdentifierColumns): encrypted, bound to their column.
            await WriteAsync(writer, Encrypted("email_encrypted", s.Email), NpgsqlDbType.Bytea, cancellationToken);
            await WriteAsync(writer, Encrypted("phone_encrypted", s.Phone), NpgsqlDbType.Bytea, cancellationToken);
            await WriteAsync(writer, Encrypted("hetu_encrypted", s.Hetu), NpgsqlDbType.Bytea, cancellationToken);
            await WriteAsync(writer, Encrypted("business_id_encrypted", s.BusinessId), NpgsqlDbType.Bytea, cancellationToken);
            await WriteAsync(writer, Encrypted("customer_number_encrypted", s.CustomerNumber), NpgsqlDbType.Bytea, cancellationToken);
            await writer.WriteAsync(s.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteAsync(writer, protection.HashOrNull(IdentifierKind.Email, s.Email), NpgsqlDbType.Bytea, cancellationToken);
            await WriteAsync(writer, protection.HashOrNull(IdentifierKind.Phone, s.Phone), NpgsqlDbType.Bytea, cancellationToken);
            await WriteAsync(writer, protection.HashOrNull(IdentifierKind.Hetu, s.Hetu), NpgsqlDbType.Bytea, cancellationToken);
            await WriteAsync(writer, protection.HashOrNull(IdentifierKind.BusinessId, s.BusinessId), NpgsqlDbType.Bytea, cancellationToken);
            await WriteAsync(writer, protection.HashOrNull(IdentifierKind.CustomerNumber, s.CustomerNumber), NpgsqlDbType.Bytea, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private byte[]? Encrypted(string column, string? value) =>
        value is null ? null : protection.Encrypt(SubjectIdentifierColumns.Table, column, value);

    private static async Task<long> CopyRecordsAsync(NpgsqlConnection connection, IEnumerable<DemoRecord> records, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY records (id, subject_id, register, category, fields, recorded_on, created_at, state) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var r in records)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(r.Id, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(r.SubjectId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(r.Register, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(r.Category, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(JsonSerializer.Serialize(r.Fields, s_json), NpgsqlDbType.Jsonb, cancellationToken);
            await writer.WriteAsync(r.RecordedOn, NpgsqlDbType.Date, cancellationToken);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(nameof(RecordState.Active), NpgsqlDbType.Varchar, cancellationToken);
        }

        return (long)await writer.CompleteAsync(cancellationToken);
    }

    private static Task WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : class =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, type, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: {Done} of {Total} subjects loaded")]
    private static partial void LogBatch(ILogger logger, int done, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: {Subjects} subjects and {Records} records in {Seconds:F1} s ({PerSecond:F0} subjects/s)")]
    private static partial void LogLoaded(ILogger logger, long subjects, long records, double seconds, double perSecond);
}
