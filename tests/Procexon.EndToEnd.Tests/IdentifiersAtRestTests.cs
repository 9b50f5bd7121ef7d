using System.Net;
using System.Net.Http.Json;
using System.Text;
using Aspire.Hosting.Testing;
using Npgsql;
using Procexon.Contracts;
using RabbitMQ.Client;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// After a subject is disclosed to the accounting firm, answered an access request and rectified, and again after it is erased,
/// every row of every table of every service's database is read back as text with SQL and searched for the subject's
/// identifiers: none may be there in clear, not even in the Registry's subjects or the firm's copy (docs/security.md).
/// Every message the services pass each other meanwhile is copied off the broker and searched too: the access answer
/// and the corrections travel sealed, so the broker, its error queues and its operators hold none of them in clear.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class IdentifiersAtRestTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_completion = TimeSpan.FromSeconds(90);

    private static readonly string[] s_databases = ["registrydb", "rightsrequestsdb", "retentiondb", "disclosurelogdb", "accountingfirmdb"];

    [Fact]
    public async Task Neither_a_table_nor_a_message_between_the_services_holds_the_subjects_identifiers_in_clear_while_held_nor_after_erasure()
    {
        var gateway = platform.Gateway;
        await using var tap = await BrokerTap.StartAsync(platform, gateway);
        var hetu = LogLeaks.RandomHetu();
        var tag = Guid.NewGuid().ToString("N")[..12];
        var email = $"levossa.{tag}@example.fi";
        var customerNumber = $"REST-{tag}";
        var phone = $"+35840{Random.Shared.Next(1000000, 9999999)}";

        var subjectId = await gateway.CreateSubjectAsync(new { name = "Levossa Testaaja", email, hetu, phone, customerNumber });
        // Registers nothing keeps under law: once erased, the subject's row goes too.
        await gateway.AddRecordAsync("web-users", subjectId, "credentials", new() { ["username"] = $"levossa-{tag}" });
        await gateway.AddRecordAsync("marketing", subjectId, "direct-marketing", new() { ["newsletter"] = "yes" });
        using (var disclosed = await gateway.PostAsJsonAsync("/api/disclosures", new
        {
            recipientId = "accounting-firm",
            subjectId,
            categories = new[] { "basic-data" },
            legalBasis = "contract",
            subject = new { email, phone, customerNumber },
        }))
        {
            await AssertStatusAsync(disclosed, HttpStatusCode.Created);
        }

        var accountingFirm = platform.ServiceAsStaff("accounting-firm");
        Assert.True(await EventuallyAsync(async () => (await GetJsonAsync(accountingFirm, $"/api/client-records?subject={subjectId}")).RootElement.GetArrayLength() > 0,
            TimeSpan.FromSeconds(30)), "The accounting firm never received its copy of the disclosed data.");

        // Access first: its answer keeps a copy of every register's data and the identifiers held, for the export.
        await CompleteAsync("access", new { email, hetu, customerNumber });
        // A rectification: the new phone is an identifier too, in the request, the Registry and the firm's copy.
        var newPhone = $"+35850{Random.Shared.Next(1000000, 9999999)}";
        await CompleteAsync("rectification", new { email, hetu, customerNumber }, [new { field = "phone", value = newPhone }]);
        (string Kind, string Value)[] identifiers =
        [
            ("identity code", hetu), ("identity code without century sign", hetu.Remove(6, 1)), ("identity code digits", hetu[..6] + hetu[7..10]),
            ("e-mail", email), ("e-mail local part", email[..email.IndexOf('@', StringComparison.Ordinal)]),
            ("customer number", customerNumber), ("phone", phone), ("phone national digits", phone[4..]),
            ("corrected phone", newPhone), ("corrected phone national digits", newPhone[4..]),
        ];
        // Held everywhere: the Registry, the request and its answer copies, the disclosure log, the firm's copy.
        await AssertNowhereInClearAsync(identifiers);
        // On the broker: the requests, the scopes with the held identifiers, each register's answer with its records,
        // the corrections on their way to the registers.
        await tap.AssertNoneInClearAsync(identifiers);

        await CompleteAsync("erasure", new { email, hetu, customerNumber });
        // The firm erases on its notice, by subject id.
        Assert.True(await EventuallyAsync(async () => (await GetJsonAsync(accountingFirm, $"/api/client-records?subject={subjectId}")).RootElement.GetArrayLength() == 0,
            TimeSpan.FromSeconds(30)), "The accounting firm kept its copy after the erasure.");
        await AssertNowhereInClearAsync(identifiers);
        await tap.AssertNoneInClearAsync(identifiers);
    }

    private async Task AssertNowhereInClearAsync((string Kind, string Value)[] identifiers)
    {
        var rowsRead = 0;
        var found = new List<string>();
        foreach (var database in s_databases)
        {
            await foreach (var (table, row) in RowsAsync(database))
            {
                rowsRead++;
                found.AddRange(identifiers.Where(i => row.Contains(i.Value, StringComparison.OrdinalIgnoreCase))
                    .Select(i => $"{database}.{table}: {i.Kind}"));
            }
        }

        Assert.True(rowsRead > 50, $"Only {rowsRead} rows were read: the scan reads nothing.");
        Assert.True(found.Count == 0, "Identifiers in clear at rest:\n" + string.Join('\n', found.Distinct().Take(20)));
    }

    [Fact]
    public async Task The_scan_finds_an_identifier_planted_in_a_table()
    {
        var planted = $"planted.{Guid.NewGuid():N}@example.fi";
        await using var connection = new NpgsqlConnection(await platform.App.GetConnectionStringAsync("registrydb"));
        await connection.OpenAsync();
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO subjects (id, name, created_at) VALUES (@id, @name, now())", connection))
        {
            insert.Parameters.AddWithValue("id", Guid.NewGuid());
            insert.Parameters.AddWithValue("name", planted);
            await insert.ExecuteNonQueryAsync();
        }

        var seen = false;
        await foreach (var (table, row) in RowsAsync("registrydb"))
        {
            seen |= table == "public.subjects" && row.Contains(planted, StringComparison.Ordinal);
        }

        await using (var delete = new NpgsqlCommand("DELETE FROM subjects WHERE name = @name", connection))
        {
            delete.Parameters.AddWithValue("name", planted);
            await delete.ExecuteNonQueryAsync();
        }

        Assert.True(seen, "The scan did not find a value planted in the Registry's subjects table.");
    }

    private async Task CompleteAsync(string type, object subject, object[]? corrections = null)
    {
        using var received = await platform.Gateway.PostAsJsonAsync("/api/requests", new { type, subject, channel = "email", corrections });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;
        using (var verified = await platform.Gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-id-document" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        using var completed = await platform.Gateway.WaitForCompletionAsync(requestPath, s_completion);
        Assert.Equal("completed", completed.RootElement.GetProperty("status").GetString());
    }

    /// <summary>Every row of every table in the database, as PostgreSQL writes the row as text (bytea in hex).</summary>
    private async IAsyncEnumerable<(string Table, string Row)> RowsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(await platform.App.GetConnectionStringAsync(database));
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables "
            + "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') AND has_table_privilege(quote_ident(table_schema) || '.' || quote_ident(table_name), 'SELECT')",
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(tables);
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                yield return (table, rows.GetString(0));
            }
        }
    }
}

/// <summary>
/// A queue of the test's own, as the broker's administrator, bound to every event exchange of the services and to
/// every register's queue exchange: a copy of each message the services pass each other while it is bound.
/// </summary>
internal sealed class BrokerTap : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;
    private readonly List<string> _bodies = [];

    private BrokerTap(IConnection connection, IChannel channel, string queue) => (_connection, _channel, _queue) = (connection, channel, queue);

    public static async Task<BrokerTap> StartAsync(PlatformFixture platform, HttpClient gateway)
    {
        var connection = await new ConnectionFactory { Uri = new Uri((await platform.App.GetConnectionStringAsync("messaging"))!) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync($"e2e-broker-tap-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        var events = IntegrationEventRoutes.ByService.Values.SelectMany(r => r.Publishes.Concat(r.Consumes)).Distinct().Select(IntegrationEventRoutes.ExchangeOf);
        using var registers = await GatewayCalls.GetJsonAsync(gateway, "/api/registers");
        var registerQueues = registers.RootElement.EnumerateArray().Select(r => r.GetProperty("slug").GetString()!)
            .SelectMany(slug => new[] { $"registry-rights-{slug}", $"registry-erasure-{slug}" });
        var bound = 0;
        foreach (var exchange in events.Concat(registerQueues))
        {
            // Commands among the routes go to a register's queue, not to an exchange of their type.
            if (await ExistsAsync(connection, exchange))
            {
                await channel.QueueBindAsync(queue, exchange, routingKey: "");
                bound++;
            }
        }

        Assert.True(bound > 20, $"Only {bound} exchanges were bound: the tap copies next to nothing.");

        return new BrokerTap(connection, channel, queue);
    }

    private static async Task<bool> ExistsAsync(IConnection connection, string exchange)
    {
        // A passive declaration of a missing exchange closes its channel: one channel per question.
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.ExchangeDeclarePassiveAsync(exchange);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException missing) when (missing.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }

    /// <summary>Takes what the queue holds, then searches every message copied so far.</summary>
    public async Task AssertNoneInClearAsync((string Kind, string Value)[] identifiers)
    {
        while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } copied)
        {
            _bodies.Add(Encoding.UTF8.GetString(copied.Body.Span));
        }

        // The access answer's scope and registers' answers, the corrections' request: the messages that would hold them.
        Assert.Contains(_bodies, b => b.Contains(nameof(RegisterRightCompleted), StringComparison.Ordinal));
        Assert.Contains(_bodies, b => b.Contains(nameof(SubjectRightScopeResolved), StringComparison.Ordinal));
        var found = _bodies.SelectMany(body => identifiers.Where(i => body.Contains(i.Value, StringComparison.OrdinalIgnoreCase))
            .Select(i => $"{TypeOf(body)}: {i.Kind}")).Distinct().ToList();
        Assert.True(found.Count == 0, "Identifiers in clear on the broker:\n" + string.Join('\n', found.Take(20)));
    }

    private static string TypeOf(string body)
    {
        var start = body.IndexOf("urn:message:", StringComparison.Ordinal);
        return start < 0 ? "a message" : body[start..Math.Min(body.Length, body.IndexOf('"', start) is var end and > 0 ? end : body.Length)];
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
