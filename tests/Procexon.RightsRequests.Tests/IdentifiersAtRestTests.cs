using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Procexon.Contracts;
using Procexon.Messaging.Encryption;
using Procexon.RightsRequests.Extensions;
using Procexon.RightsRequests.Infrastructure;
using Procexon.RightsRequests.Model;

namespace Procexon.RightsRequests.Tests;

/// <summary>
/// The requester's identifiers and the registry's identifiers a request is answered with are AES-GCM ciphertexts in
/// <c>rights_requests</c>, bound to their column and to <c>RightsRequests:IdentifierKey</c>; domain code and the API see them clear.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class IdentifiersAtRestTests(LifecycleFixture fixture)
{
    private const string Hetu = "131052-308T";

    [Fact]
    public async Task Requester_and_held_identifiers_are_not_in_clear_in_the_row_and_read_back_unchanged()
    {
        var email = $"Aino.Atrest-{Guid.NewGuid():N}@Example.fi";
        var id = await ReceiveWithEveryIdentifierAsync(email);
        var subjectId = Guid.NewGuid();
        await fixture.InScopeAsync(async db =>
        {
            var request = await db.Requests.SingleAsync(r => r.Id == id);
            // Recorded as the registry's scope answer would (RecordRightScope), without a broker round trip.
            db.Entry(request).Property(r => r.HeldIdentifiers).CurrentValue =
                [new HeldIdentifiers(subjectId, "Aino Säilö", "held.aino@example.fi", "+358409876543", "010594Y9032", "7654321-0", "HELD-778")];
            return await db.SaveChangesAsync();
        });

        var row = await RawRowAsync(id);
        Assert.Contains(id.ToString(), row, StringComparison.Ordinal);

        string[] clear =
        [
            "Aino Säilö", email, "+358401234567", Hetu, "131052308T", "1234567-1", "CUST-4455",
            "held.aino@example.fi", "+358409876543", "010594Y9032", "010594", "7654321-0", "HELD-778",
        ];
        foreach (var value in clear)
        {
            Assert.DoesNotContain(value, row, StringComparison.OrdinalIgnoreCase);
        }

        var read = await fixture.InScopeAsync(db => db.Requests.AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.Equal(("Aino Säilö", "+358401234567", Hetu, "1234567-1", "CUST-4455"),
            (read.Subject.Name, read.Subject.Phone, read.Subject.Hetu, read.Subject.BusinessId, read.Subject.CustomerNumber));
        Assert.Equal(email, read.Subject.Email, ignoreCase: true);
        var held = Assert.Single(read.HeldIdentifiers);
        Assert.Equal(new HeldIdentifiers(subjectId, "Aino Säilö", "held.aino@example.fi", "+358409876543", "010594Y9032", "7654321-0", "HELD-778"), held);

        var answered = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/requests/{id}", UriKind.Relative));
        Assert.Equal(id, answered.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_column_does_not_decrypt()
    {
        var id = await ReceiveWithEveryIdentifierAsync($"moved-{Guid.NewGuid():N}@example.fi");
        var original = await ColumnAsync(id, "subject_name");
        try
        {
            await ExecuteAsync($"UPDATE rights_requests SET subject_name = subject_email WHERE id = '{id}'");

            var error = await Record.ExceptionAsync(() => fixture.InScopeAsync(db => db.Requests.AsNoTracking().SingleAsync(r => r.Id == id)));

            Assert.True(IsCryptographic(error), error?.ToString());
        }
        finally
        {
            // Other tests in the collection list every request; leave the row readable.
            await using var connection = await OpenAsync();
            await using var restore = new NpgsqlCommand("UPDATE rights_requests SET subject_name = @v WHERE id = @id", connection);
            restore.Parameters.AddWithValue("v", original);
            restore.Parameters.AddWithValue("id", id);
            await restore.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task A_service_with_another_key_refuses_to_read_the_identifiers_and_names_the_key()
    {
        var id = await ReceiveWithEveryIdentifierAsync($"otherkey-{Guid.NewGuid():N}@example.fi");
        var otherKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var options = new DbContextOptionsBuilder<RightsRequestsContext>()
            .UseNpgsql(fixture.ConnectionString)
            .UseSnakeCaseNamingConvention()
            .UseColumnEncryption(new RequesterIdentifierProtection(otherKey))
            .Options;
        await using var db = new RightsRequestsContext(options);

        var error = await Record.ExceptionAsync(() => db.Requests.AsNoTracking().SingleAsync(r => r.Id == id));

        Assert.True(IsCryptographic(error), error?.ToString());
        Assert.Contains(RequesterIdentifierProtection.KeySetting, Flatten(error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("   ", "missing")]
    [InlineData("only-thirty-one-characters-long", "too short")]
    public void The_service_does_not_start_without_a_key_of_at_least_32_characters(string? key, string reason)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rightsrequestsdb"] = fixture.ConnectionString,
            ["ConnectionStrings:messaging"] = fixture.Broker.Uri.ToString(),
            ["Authentication:Authority"] = "http://127.0.0.1:9/",
            ["RightsRequests:IdentifierKey"] = key,
        });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddApplicationServices());

        Assert.StartsWith($"RightsRequests:IdentifierKey is {reason}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_value_has_a_fresh_nonce_and_carries_the_id_of_the_key_that_wrote_it()
    {
        var protection = new RequesterIdentifierProtection(new string('k', 32));
        var first = protection.Encrypt("subject_hetu", Hetu);
        var second = protection.Encrypt("subject_hetu", Hetu);
        var other = new RequesterIdentifierProtection(new string('m', 32)).Encrypt("subject_hetu", Hetu);

        Assert.NotEqual(first, second);
        Assert.Equal(first[..5], second[..5]);
        Assert.Equal(1, first[0]);
        Assert.NotEqual(first[1..5], other[1..5]);
        Assert.Equal(Hetu, protection.Decrypt("subject_hetu", second));
        Assert.ThrowsAny<CryptographicException>(() => protection.Decrypt("subject_email", first));
    }

    private Task<Guid> ReceiveWithEveryIdentifierAsync(string email) => fixture.ReceiveAsync(new
    {
        type = "access",
        subject = new
        {
            name = "Aino Säilö",
            email,
            phone = "+358401234567",
            hetu = Hetu,
            businessId = "1234567-1",
            customerNumber = "CUST-4455",
        },
        channel = "letter",
        receivedOn = LifecycleFixture.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    });

    private async Task<string> RawRowAsync(Guid id)
    {
        await using var connection = await OpenAsync();
        // Every column as text (bytea as its hex, jsonb as its JSON), and each bytea also with its printable bytes as they are.
        await using var command = new NpgsqlCommand(
            """
            SELECT r::text || ' ' || concat_ws(' ', encode(r.subject_name, 'escape'), encode(r.subject_email, 'escape'),
                encode(r.subject_phone, 'escape'), encode(r.subject_hetu, 'escape'), encode(r.subject_business_id, 'escape'),
                encode(r.subject_customer_number, 'escape'), encode(r.held_identifiers, 'escape'))
            FROM rights_requests r WHERE r.id = @id
            """, connection);
        command.Parameters.AddWithValue("id", id);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<byte[]> ColumnAsync(Guid id, string column)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {column} FROM rights_requests WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static bool IsCryptographic(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is CryptographicException)
            {
                return true;
            }
        }

        return false;
    }

    private static string Flatten(Exception? error)
    {
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" | ", messages);
    }
}
