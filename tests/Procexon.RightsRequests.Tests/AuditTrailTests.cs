using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Procexon.RightsRequests.Infrastructure;
using Procexon.RightsRequests.Model;

namespace Procexon.RightsRequests.Tests;

[Collection(LifecycleCollection.Name)]
public sealed class AuditTrailTests(LifecycleFixture fixture)
{
    [Theory]
    [InlineData("UPDATE request_audit_entries SET actor = 'someone else' WHERE request_id = @id", "UPDATE")]
    [InlineData("DELETE FROM request_audit_entries WHERE request_id = @id", "DELETE")]
    [InlineData("TRUNCATE request_audit_entries", "TRUNCATE")]
    [InlineData("TRUNCATE rights_requests CASCADE", "TRUNCATE")]
    public async Task The_database_itself_refuses_to_change_or_remove_audit_entries(string sql, string operation)
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today.AddDays(-3));
        var before = (await fixture.AuditAsync(id)).GetProperty("entries").ToString();

        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(AppendOnlyAuditSql.RefusedSqlState, refused.SqlState);
        Assert.Equal($"request_audit_entries is append-only: {operation} refused", refused.MessageText);
        Assert.Equal(before, (await fixture.AuditAsync(id)).GetProperty("entries").ToString());
    }

    [Fact]
    public async Task A_save_that_records_audit_entries_detects_the_changes_of_what_it_tracks_once()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today.AddDays(-3));

        // The interceptors (the audit trail's, the outbox's) look at what the context tracks before SaveChanges detects its
        // changes; each scan of their own would go over every tracked row of a consumer's batch again.
        var detections = await fixture.InScopeAsync(async db =>
        {
            var request = (await db.LockRequestsAsync([id], CancellationToken.None))[id];
            var detections = 0;
            db.ChangeTracker.DetectingAllChanges += (_, _) => detections++;
            Assert.Null(request.Extend(1, "Tiedot kymmenestä rekisteristä", "tester", fixture.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
            return detections;
        });

        Assert.Equal(1, detections);
        Assert.Equal(["received", "extended"], await fixture.AuditActionsAsync(id));
    }

    [Fact]
    public async Task Every_change_is_recorded_with_the_token_s_actor_time_action_and_reason()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today.AddDays(-3));
        var extendedAt = fixture.Clock.GetUtcNow();
        using (var extended = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/extension",
            new { months = 1, reason = "Records in ten registers" }))
        {
            Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        }

        using (var verified = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/verification",
            new { method = "staff-id-document" }))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        // The fan-out's code completes the request knowing nothing of the trail; its completion is recorded anyway.
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await fixture.InScopeAsync(async db =>
        {
            var request = await db.LockRequestAsync(id, CancellationToken.None);
            request!.RecordScope([], [Requests.Customers], fixture.Clock.GetUtcNow());
            request.RecordNotifiedRecipients([], fixture.Clock.GetUtcNow());
            Assert.True(request.TryComplete(fixture.Clock.GetUtcNow()));
            return await db.SaveChangesAsync();
        });

        var audit = await fixture.AuditAsync(id);
        var entries = audit.GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(["received", "extended", "subject-notified", "verified", "completed"], entries.Select(e => e.GetProperty("action").GetString()));
        var officer = fixture.OfficerActor;
        Assert.Equal([officer, officer, "system", officer, "system"], entries.Select(e => e.GetProperty("actor").GetString()));
        Assert.Equal("Records in ten registers", entries[1].GetProperty("reason").GetString());
        Assert.Equal("identity verified: staff-id-document", entries[3].GetProperty("reason").GetString());
        Assert.Equal(extendedAt, entries[1].GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal(["awaiting-verification", "awaiting-verification", "awaiting-verification", "in-progress", "completed"],
            entries.Select(e => e.GetProperty("toStatus").GetString()));
        Assert.Equal("in-progress", entries[4].GetProperty("fromStatus").GetString());
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("fromStatus").ValueKind);
        Assert.Equal("channel letter; received on 2028-01-28; due on 2028-02-28", entries[0].GetProperty("detail").GetString());
        Assert.Equal("by 1 month(s); due on 2028-03-28", entries[1].GetProperty("detail").GetString());
        Assert.True(entries.Select(e => e.GetProperty("sequence").GetInt64()).SequenceEqual(entries.Select(e => e.GetProperty("sequence").GetInt64()).Order()));
        Assert.Equal("completed", audit.GetProperty("request").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Audit_trail_of_an_unknown_request_is_a_404_problem()
    {
        using var response = await fixture.Http.GetAsync(new Uri($"/api/requests/{Guid.NewGuid()}/audit", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_export_for_the_Ombudsman_parses_back_field_by_field_as_json_and_as_csv()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today.AddDays(-1), type: "access");
        using (var refused = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/refusal",
            new { reason = "Sixth identical request, \"word for word\", this month" }))
        {
            Assert.True(refused.StatusCode == HttpStatusCode.OK, await refused.Content.ReadAsStringAsync());
        }

        var expected = (await fixture.AuditAsync(id)).GetProperty("entries").Deserialize<List<ExportRow>>(JsonSerializerOptions.Web)!;
        Assert.Equal(["received", "refused", "subject-notified"], expected.Select(e => e.Action));
        var period = $"from={LifecycleFixture.Today:yyyy-MM-dd}&to={LifecycleFixture.Today.AddDays(1):yyyy-MM-dd}";

        var json = await fixture.Http.GetFromJsonAsync<List<ExportRow>>(new Uri($"/api/requests/audit-export?{period}&format=json", UriKind.Relative));
        using var csvResponse = await fixture.Http.GetAsync(new Uri($"/api/requests/audit-export?{period}&format=csv", UriKind.Relative));
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        using var csv = CsvReader.FromText(await csvResponse.Content.ReadAsStringAsync(), new CsvReaderOptions { Separator = ',' });
        Assert.Equal(["sequence", "requestId", "requestType", "occurredAt", "action", "actor", "reason", "fromStatus", "toStatus", "detail"], csv.Headers);
        var rows = new List<ExportRow>();
        while (csv.Read())
        {
            rows.Add(new ExportRow(
                long.Parse(csv.GetString("sequence"), CultureInfo.InvariantCulture),
                Guid.Parse(csv.GetString("requestId")),
                csv.GetString("requestType"),
                DateTimeOffset.Parse(csv.GetString("occurredAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                csv.GetString("action"),
                csv.GetString("actor"),
                Optional(csv.GetString("reason")),
                Optional(csv.GetString("fromStatus")),
                csv.GetString("toStatus"),
                Optional(csv.GetString("detail"))));
        }

        Assert.Equal(expected, json!.Where(e => e.RequestId == id));
        Assert.Equal(expected, rows.Where(e => e.RequestId == id));
        var refusal = rows.Single(r => r.RequestId == id && r.Action == "refused");
        Assert.Equal((fixture.OfficerActor, "Sixth identical request, \"word for word\", this month", "access", "awaiting-verification", "refused"),
            (refusal.Actor, refusal.Reason, refusal.RequestType, refusal.FromStatus, refusal.ToStatus));
        Assert.Equal(json!.Select(e => e.Sequence), rows.Select(r => r.Sequence));
    }

    [Fact]
    public async Task The_export_for_the_Ombudsman_neutralises_free_text_that_a_spreadsheet_would_run_as_a_formula()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today.AddDays(-1), type: "access");
        using (var refused = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/refusal",
            new { reason = "=HYPERLINK(\"http://x\")" }))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        }

        var period = $"from={LifecycleFixture.Today:yyyy-MM-dd}&to={LifecycleFixture.Today.AddDays(1):yyyy-MM-dd}";
        var text = await fixture.Http.GetStringAsync(new Uri($"/api/requests/audit-export?{period}&format=csv", UriKind.Relative));

        Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\")\",", text, StringComparison.Ordinal);
        using var csv = CsvReader.FromText(text, new CsvReaderOptions { Separator = ',' });
        while (csv.Read())
        {
            if (csv.GetString("requestId") == id.ToString() && csv.GetString("action") == "refused")
            {
                Assert.Equal("'=HYPERLINK(\"http://x\")", csv.GetString("reason"));
                return;
            }
        }

        Assert.Fail("The refusal is not in the export.");
    }

    [Theory]
    [InlineData("to=2028-01-31", "from")]
    [InlineData("from=2028-01-31", "to")]
    [InlineData("from=2028-01-31&to=2028-01-30", "to")]
    [InlineData("from=2028-01-01&to=2028-01-31&format=xml", "format")]
    public async Task A_bad_export_period_or_format_is_a_problem_naming_the_field(string query, string field)
    {
        using var response = await fixture.Http.GetAsync(new Uri($"/api/requests/audit-export?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task Audit_entries_are_stored_in_the_same_transaction_as_the_change()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today);
        // A change whose save fails leaves no entry behind.
        await fixture.InScopeAsync(async db =>
        {
            var request = await db.Requests.SingleAsync(r => r.Id == id);
            Assert.Null(request.Refuse(new string('x', 2001), "Anna", fixture.Clock.GetUtcNow()));
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
            return 0;
        });

        Assert.Equal(["received"], await fixture.AuditActionsAsync(id));
        Assert.Equal(RequestStatus.AwaitingVerification, await fixture.InScopeAsync(db => db.Requests.Where(r => r.Id == id).Select(r => r.Status).SingleAsync()));
    }

    private static string? Optional(string field) => field.Length > 0 ? field : null;

    public sealed record ExportRow(
        long Sequence, Guid RequestId, string RequestType, DateTimeOffset OccurredAt, string Action, string Actor,
        string? Reason, string? FromStatus, string ToStatus, string? Detail);
}
