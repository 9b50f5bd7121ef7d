using Microsoft.EntityFrameworkCore;
using Npgsql;
using Procexon.Contracts;
using Procexon.Registry.DemoData;
using Procexon.Registry.Infrastructure;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Subjects;

/// <summary>Fresh identifiers for one test (unique across the collection) and raw access to the subjects table.</summary>
public sealed record TestPerson(string Hetu, string Email, string Phone, string BusinessId, string CustomerNumber)
{
    private static int s_next = 100;

    public static TestPerson Next()
    {
        var n = Interlocked.Increment(ref s_next);
        // Birth day and individual number both from the counter: no two tests in a run share an identity code.
        var hetu = FinnishIdentifiers.Hetu(new DateOnly(1980, 1, 1).AddDays(n), 2 + (Environment.ProcessId % 800));
        var tag = Guid.NewGuid().ToString("N")[..10];
        return new TestPerson(hetu, $"person.{tag}@example.fi", $"+3584{n % 10}{Random.Shared.Next(1000000, 9999999)}",
            FinnishIdentifiers.BusinessId(Random.Shared), $"C-{tag}");
    }

    public SubjectKeys Keys => new(Email, Phone, Hetu, BusinessId, CustomerNumber);

    public Subject ToSubject(string? name = "Maija Meikäläinen") => new()
    {
        Id = Guid.CreateVersion7(),
        Name = name,
        Email = Email,
        Phone = Phone,
        Hetu = Hetu,
        BusinessId = BusinessId,
        CustomerNumber = CustomerNumber,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}

public static class RawSubjects
{
    /// <summary>The subject's row as PostgreSQL holds it, read with plain SQL (no EF, no converters).</summary>
    public static async Task<Dictionary<string, object?>> RowAsync(RegistryFixture fixture, Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.Postgres.ConnectionString("registrydb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT * FROM subjects WHERE id = $1", connection) { Parameters = { new() { Value = id } } };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the subject's row exists");
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
    }

    public static async Task ExecuteAsync(RegistryFixture fixture, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.Postgres.ConnectionString("registrydb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    public static Task<List<Guid>> FindAsync(RegistryFixture fixture, SubjectKeys keys) =>
        fixture.InDatabaseAsync(db => SubjectLookup.Matching(db.Subjects, keys).Select(s => s.Id).ToListAsync());

    public static Task<Subject> AddAsync(RegistryFixture fixture, Subject subject, params (string Register, string Category)[] records) =>
        fixture.InDatabaseAsync(async db =>
        {
            db.Subjects.Add(subject);
            db.Records.AddRange(records.Select(record => new RegisterRecord
            {
                Id = Guid.CreateVersion7(),
                SubjectId = subject.Id,
                Register = record.Register,
                Category = record.Category,
                Fields = new Dictionary<string, string> { ["note"] = "test" },
                RecordedOn = new DateOnly(2025, 3, 10),
                CreatedAt = DateTimeOffset.UtcNow,
            }));
            await db.SaveChangesAsync();
            return subject;
        });
}
