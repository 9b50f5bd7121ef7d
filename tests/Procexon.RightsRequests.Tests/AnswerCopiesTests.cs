using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Procexon.Contracts;
using Procexon.Messaging.Encryption;
using Procexon.RightsRequests.Extensions;
using Procexon.RightsRequests.Infrastructure;
using Procexon.RightsRequests.Model;

namespace Procexon.RightsRequests.Tests;

/// <summary>
/// The copies of the subject's data an access or portability request is answered with: encrypted in
/// <c>register_data_copies</c>, clear to the export, and removed <c>RightsRequests:AnswerCopies:KeepFor</c> after the
/// request completed, after which its answer and export are 410 Gone.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class AnswerCopiesTests(LifecycleFixture fixture)
{
    private const string ProblemJson = "application/problem+json";
    private const string PurgedCounter = "procexon.rightsrequests.answer_copies.purged";

    private static readonly RegisterName Customers = Requests.Customers;
    private static readonly RegisterName Marketing = Requests.Marketing;

    [Fact]
    public async Task The_records_of_an_answer_copy_are_not_in_clear_in_the_table_and_the_export_still_gives_them()
    {
        var email = $"kopio.aino-{Guid.NewGuid():N}@example.fi";
        var (address, phone) = ("Kuusitie 4 B 12, 00270 Helsinki", "+358407654321");
        var id = await VerifiedAccessAsync(email);

        await AnsweredAsync(id, [Customers], Record(email, address, phone), completes: true);

        var row = await RawCopyAsync(id);
        Assert.Contains(id.ToString(), row, StringComparison.Ordinal);
        // The values, and the field names too: the whole JSON of the records is sealed, not only its values.
        foreach (var clear in new[] { email, "kopio.aino", address, "Kuusitie", phone, "7654321", "address", "basic-data" })
        {
            Assert.DoesNotContain(clear, row, StringComparison.OrdinalIgnoreCase);
        }

        using var response = await fixture.Http.GetAsync(new Uri($"/api/requests/{id}/export?format=json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var export = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = Assert.Single(Assert.Single(export.GetProperty("registers").EnumerateArray()).GetProperty("records").EnumerateArray())
            .GetProperty("fields");
        Assert.Equal((email, address, phone),
            (fields.GetProperty("email").GetString(), fields.GetProperty("address").GetString(), fields.GetProperty("phone").GetString()));
    }

    [Fact]
    public void A_copy_s_ciphertext_is_bound_to_its_table_and_identifiers_of_rights_requests_still_decrypt()
    {
        var protection = new RequesterIdentifierProtection(new string('k', 32));
        var copy = protection.Encrypt(RegisterDataCopyConfiguration.Table, "records_encrypted", "[]");
        var identifier = protection.Encrypt("subject_email", "aino@example.fi");

        Assert.Equal("[]", protection.Decrypt(RegisterDataCopyConfiguration.Table, "records_encrypted", copy));
        // The same column name in rights_requests is another place: the value does not decrypt there.
        Assert.ThrowsAny<CryptographicException>(() => protection.Decrypt("records_encrypted", copy));
        Assert.Equal("aino@example.fi", protection.Decrypt("rights_requests", "subject_email", identifier));
    }

    [Fact]
    public async Task Copies_of_a_request_completed_longer_than_KeepFor_ago_are_removed_those_of_an_open_one_kept_and_its_export_is_gone()
    {
        var keepFor = fixture.Service.Services.GetRequiredService<IOptions<RequestLifecycleOptions>>().Value.AnswerCopies.KeepFor;
        Assert.Equal(TimeSpan.FromDays(90), keepFor);
        var completed = await VerifiedAccessAsync($"done-{Guid.NewGuid():N}@example.fi");
        var open = await VerifiedAccessAsync($"open-{Guid.NewGuid():N}@example.fi");
        await AnsweredAsync(completed, [Customers], Record("done@example.fi", "Valmistie 1", "+358401110000"), completes: true);
        // Marketing never answers: the request stays in progress with the one copy it has.
        await AnsweredAsync(open, [Customers, Marketing], Record("open@example.fi", "Avoimentie 2", "+358402220000"), completes: false);
        var completedAt = (await RequestAsync(completed)).CompletedAt!.Value;

        await fixture.PurgeAt(completedAt + keepFor).PurgeAsync(CancellationToken.None);
        Assert.Equal(1, await CopiesAsync(completed));

        var counted = CountPurged(out var listener);
        PurgedAnswerCopies purged;
        using (listener)
        {
            purged = await fixture.PurgeAt(completedAt + keepFor + TimeSpan.FromMinutes(1)).PurgeAsync(CancellationToken.None);
        }

        // Long after, an open request still keeps its copies: they follow the request's own lifetime.
        await fixture.PurgeAt(completedAt + TimeSpan.FromDays(3650)).PurgeAsync(CancellationToken.None);

        Assert.Equal(0, await CopiesAsync(completed));
        Assert.Equal(1, await CopiesAsync(open));
        Assert.True(purged.Copies >= 1 && purged.Requests >= 1, $"{purged}");
        Assert.Equal(purged.Copies, counted.Sum());
        Assert.NotNull((await RequestAsync(completed)).AnswerCopiesPurgedAt);
        Assert.Null((await RequestAsync(open)).AnswerCopiesPurgedAt);
        Assert.Contains("answer-copies-purged", await fixture.AuditActionsAsync(completed));
        Assert.DoesNotContain("answer-copies-purged", await fixture.AuditActionsAsync(open));

        foreach (var path in new[] { $"/api/requests/{completed}/export?format=json", $"/api/requests/{completed}/answer?lang=en" })
        {
            using var gone = await fixture.Http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            Assert.Equal(ProblemJson, gone.Content.Headers.ContentType?.MediaType);
            var problem = await gone.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(410, problem.GetProperty("status").GetInt32());
            Assert.Contains("retention period", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("must be made again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // The open request's export is refused as before: it has no export yet, not that it is gone.
        using var notYet = await fixture.Http.GetAsync(new Uri($"/api/requests/{open}/export?format=json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, notYet.StatusCode);
    }

    [Fact]
    public async Task The_migration_deletes_copies_written_in_clear_and_their_request_says_they_are_gone()
    {
        var database = $"copies_migration_{Guid.NewGuid():N}";
        var options = new DbContextOptionsBuilder<RightsRequestsContext>()
            .UseNpgsql(fixture.Postgres.ConnectionString(database))
            .UseSnakeCaseNamingConvention()
            .UseColumnEncryption(new RequesterIdentifierProtection(fixture.IdentifierKey))
            .Options;
        var id = Guid.NewGuid();
        try
        {
            await using (var db = new RightsRequestsContext(options))
            {
                await db.GetService<IRelationalDatabaseCreator>().CreateAsync();
                var migrator = db.GetService<IMigrator>();
                await migrator.MigrateAsync("20261203092746_EncryptRequesterIdentifiers");
                // A completed access request and its copy as the service wrote them before: records as clear jsonb.
                await db.Database.ExecuteSqlAsync($$"""
                    INSERT INTO rights_requests (id, type, status, channel, corrections, due_on, extension_months, held_identifiers,
                        received_at, completed_at, verification_code_attempts, verification_codes_sent, verified_identifiers)
                    VALUES ({{id}}, 'Access', 'Completed', 'letter', '[]', DATE '2028-02-29', 0, ''::bytea, now(), now(), 0, 0, '{"email"}')
                    """);
                await db.Database.ExecuteSqlAsync($$$"""
                    INSERT INTO register_data_copies (request_id, register, name, records, received_at)
                    VALUES ({{{id}}}, 'customers', '{"fi": "Asiakasrekisteri", "en": "Customer register"}', '[{"fields": {"address": "Vanhatie 1"}}]', now())
                    """);

                // The migrations after it as the service's migration step runs them, with the key between the halves.
                await migrator.MigrateAsync("20261204035209_EncryptedCorrections");
                await new EncryptClearCorrections(db.Protection).UpgradeAsync(db, CancellationToken.None);
                await migrator.MigrateAsync();
            }

            await using (var db = new RightsRequestsContext(options))
            {
                Assert.Equal(0, await db.Set<RegisterDataCopy>().CountAsync());
                Assert.NotNull((await db.Requests.AsNoTracking().SingleAsync(r => r.Id == id)).AnswerCopiesPurgedAt);
                var entry = await db.Set<RequestAuditEntry>().AsNoTracking().SingleAsync(e => e.RequestId == id);
                Assert.Equal((AuditAction.AnswerCopiesPurged, AuditActors.System, "1 register copies removed"), (entry.Action, entry.Actor, entry.Detail));
                var type = await db.Database.SqlQuery<string>($"""
                    SELECT data_type AS "Value" FROM information_schema.columns
                    WHERE table_name = 'register_data_copies' AND column_name = 'records_encrypted'
                    """).SingleAsync();
                Assert.Equal("bytea", type);
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(fixture.Postgres.ConnectionString("postgres"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public void KeepFor_is_read_from_RightsRequests_AnswerCopies_KeepFor_and_must_be_positive()
    {
        Assert.Equal(TimeSpan.FromDays(30), OptionsWith("30.00:00:00").AnswerCopies.KeepFor);
        var error = Assert.Throws<OptionsValidationException>(() => OptionsWith("00:00:00"));
        Assert.Contains("RightsRequests:AnswerCopies:KeepFor", error.Message, StringComparison.Ordinal);
    }

    private static RequestLifecycleOptions OptionsWith(string keepFor)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["RightsRequests:AnswerCopies:KeepFor"] = keepFor });
        // What the lifecycle's services take; nothing here connects anywhere.
        builder.Services.AddDbContext<RightsRequestsContext>(options => options.UseNpgsql("Host=localhost"));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddRequestLifecycle();
        using var app = builder.Build();
        return app.Services.GetRequiredService<IOptions<RequestLifecycleOptions>>().Value;
    }

    private static HeldRecord Record(string email, string address, string phone) => new(
        Guid.NewGuid(), Guid.NewGuid(), "basic-data", new("Perustiedot", "Basic data"), LegalBases.Contract, "active", new DateOnly(2025, 1, 2),
        new Dictionary<string, string> { ["email"] = email, ["address"] = address, ["phone"] = phone }, null, null);

    private async Task<Guid> VerifiedAccessAsync(string email)
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today, "access", email);
        using var verified = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "staff-in-person" });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        return id;
    }

    /// <summary>
    /// The registry's scope and the first register's answer, through the service's own consumers (the copy is written
    /// by <see cref="RecordRegisterRightAnswer"/>); waits until the copy is stored and, when it completes, the request.
    /// </summary>
    private async Task AnsweredAsync(Guid id, RegisterName[] heldIn, HeldRecord record, bool completes)
    {
        var bus = fixture.Service.Services.GetRequiredService<IBus>();
        var now = fixture.Clock.GetUtcNow();
        await bus.Publish(new SubjectRightScopeResolved(
            id, SubjectRights.Access, [record.SubjectId], heldIn, [],
            [new HeldIdentifiers(record.SubjectId, "Aino Kopio", record.Fields["email"], null, null, null, null)], [], now));
        await bus.Publish(new RegisterRightCompleted(
            id, SubjectRights.Access, heldIn[0].Register, heldIn[0].Name, RightOutcomes.Disclosed, 1, [record], null, null, now));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var request = await RequestAsync(id);
            if (await CopiesAsync(id) == 1 && request.ScopeResolvedAt is not null && (request.Status == RequestStatus.Completed) == completes)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Request {id} was not answered as expected in 30 s.");
    }

    private Task<RightsRequest> RequestAsync(Guid id) => fixture.InScopeAsync(db => db.Requests.AsNoTracking().SingleAsync(r => r.Id == id));

    private Task<int> CopiesAsync(Guid id) => fixture.InScopeAsync(db => db.Set<RegisterDataCopy>().CountAsync(c => c.RequestId == id));

    /// <summary>Each increment of the purge counter of this fixture's service (other hosts in the process have a meter of the same name).</summary>
    private List<long> CountPurged(out MeterListener listener)
    {
        var meters = fixture.Service.Services.GetRequiredService<IMeterFactory>();
        var counted = new List<long>();
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == PurgedCounter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            lock (counted)
            {
                counted.Add(value);
            }
        });
        listener.Start();
        return counted;
    }

    /// <summary>The copy's row as text (bytea as hex), with its ciphertext's printable bytes as they are.</summary>
    private async Task<string> RawCopyAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT string_agg(c::text || ' ' || encode(c.records_encrypted, 'escape'), ' ') FROM register_data_copies c WHERE c.request_id = @id",
            connection);
        command.Parameters.AddWithValue("id", id);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
