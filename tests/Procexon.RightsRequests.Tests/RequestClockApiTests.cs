using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Procexon.RightsRequests.Infrastructure;

namespace Procexon.RightsRequests.Tests;

/// <summary>Extension, refusal, the due-soon and overdue lists and meters, through the service's HTTP API.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class RequestClockApiTests(LifecycleFixture fixture)
{
    [Fact]
    public async Task Letter_received_31_January_of_a_leap_year_is_due_29_February_and_extended_by_two_months_due_30_April()
    {
        var id = await fixture.ReceiveLetterAsync(new DateOnly(2028, 1, 31));
        var received = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/requests/{id}", UriKind.Relative));
        Assert.Equal("2028-02-29", received.GetProperty("dueOn").GetString());

        using var response = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/extension",
            new { months = 2, reason = "Records in every register, including backups" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var change = await response.Content.ReadFromJsonAsync<JsonElement>();
        var request = change.GetProperty("request");
        Assert.Equal("2028-04-30", request.GetProperty("dueOn").GetString());
        Assert.Equal(2, request.GetProperty("extensionMonths").GetInt32());
        Assert.Equal(new DateTimeOffset(2028, 4, 30, 20, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), request.GetProperty("dueAt").GetDateTimeOffset());
        var notice = change.GetProperty("notice");
        Assert.True(notice.GetProperty("sent").GetBoolean());
        Assert.Contains("30.4.2028", notice.GetProperty("fi").GetString(), StringComparison.Ordinal);
        Assert.Contains("30 April 2028", notice.GetProperty("en").GetString(), StringComparison.Ordinal);
        Assert.Contains("Records in every register, including backups", notice.GetProperty("en").GetString(), StringComparison.Ordinal);

        // The subject is told, in Finnish and English, by mail to the address they gave.
        var mail = Assert.Single(fixture.MailFor(id));
        Assert.Contains("30.4.2028", mail.Body, StringComparison.Ordinal);
        Assert.Contains("30 April 2028", mail.Body, StringComparison.Ordinal);
        Assert.Equal("2028-04-30", (await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/requests/{id}", UriKind.Relative))).GetProperty("dueOn").GetString());
    }

    [Fact]
    public async Task Extension_after_the_first_month_is_a_409_problem_and_changes_nothing()
    {
        // Received 20 December 2027: the first month ended on 20 January 2028, before today (31 January).
        var id = await fixture.ReceiveLetterAsync(new DateOnly(2027, 12, 20));

        using var response = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/extension",
            new { months = 1, reason = "Too late" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The first month has passed", problem.GetProperty("title").GetString());
        // The name a client shows its own words for (the console, in Finnish).
        Assert.Equal("tag:procexon.com,2026:problem:first-month-passed", problem.GetProperty("type").GetString());
        Assert.Equal("2028-01-20", problem.GetProperty("dueOn").GetString());
        Assert.Equal(["received"], await fixture.AuditActionsAsync(id));
        Assert.Empty(fixture.MailFor(id));
    }

    [Theory]
    [InlineData(3, "A reason", "months")]
    [InlineData(0, "A reason", "months")]
    [InlineData(1, " ", "reason")]
    public async Task A_bad_extension_is_a_problem_naming_the_field(int months, string reason, string field)
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today);

        using var response = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/extension", new { months, reason });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task Refused_request_tells_the_subject_and_never_executes_even_if_verified_afterwards()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today.AddDays(-2));

        using var refused = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/refusal",
            new { reason = "The same erasure was answered last week" });
        using var verified = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/verification",
            new { method = "staff-id-document" });
        using var code = await fixture.Http.PostAsync(new Uri($"/api/requests/{id}/verification-code", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var request = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request");
        Assert.Equal("refused", request.GetProperty("status").GetString());
        Assert.Equal("The same erasure was answered last week", request.GetProperty("refusalReason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, verified.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, code.StatusCode);
        var mail = Assert.Single(fixture.MailFor(id));
        Assert.Contains("tietosuojavaltuutetulle", mail.Body, StringComparison.Ordinal);
        Assert.Contains("Data Protection Ombudsman", mail.Body, StringComparison.Ordinal);
        Assert.False(await fixture.ExecutedAsync(id));
        Assert.Equal(["received", "refused", "subject-notified"], await fixture.AuditActionsAsync(id));
    }

    [Fact]
    public async Task A_verified_request_cannot_be_refused()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today);
        using (await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "signed-letter" }))
        {
        }

        using var refused = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/refusal", new { reason = "Excessive" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("in-progress", problem.GetProperty("requestStatus").GetString());
        Assert.Equal("tag:procexon.com,2026:problem:not-refusable", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Due_soon_and_overdue_lists_and_gauges_count_open_requests_by_their_due_day()
    {
        await fixture.Gauges.RefreshAsync(CancellationToken.None);
        var before = (fixture.Metrics.Open, fixture.Metrics.Overdue, fixture.Metrics.DueSoon);

        // Today is 31 January 2028. Received 22 December: due 22 January, overdue. Received 5 January: due 5 February,
        // within seven days. Received today: due 29 February, neither. A refused overdue one counts nowhere.
        var overdue = await fixture.ReceiveLetterAsync(new DateOnly(2027, 12, 22));
        var dueSoon = await fixture.ReceiveLetterAsync(new DateOnly(2028, 1, 5));
        var later = await fixture.ReceiveLetterAsync(LifecycleFixture.Today);
        var refused = await fixture.ReceiveLetterAsync(new DateOnly(2027, 12, 21));
        using (await fixture.Http.PostAsJsonAsync($"/api/requests/{refused}/refusal", new { reason = "Excessive" }))
        {
        }

        var overdueList = await ListAsync("/api/requests/overdue");
        var dueSoonList = await ListAsync("/api/requests/due-soon?days=7");
        var dueWithin5 = await ListAsync("/api/requests/due-soon?days=5");
        var dueWithin4 = await ListAsync("/api/requests/due-soon?days=4");

        Assert.Contains(overdue, overdueList);
        Assert.DoesNotContain(dueSoon, overdueList);
        Assert.DoesNotContain(refused, overdueList);
        Assert.Contains(dueSoon, dueSoonList);
        Assert.DoesNotContain(overdue, dueSoonList);
        Assert.DoesNotContain(later, dueSoonList);
        Assert.Contains(dueSoon, dueWithin5);
        Assert.DoesNotContain(dueSoon, dueWithin4);

        await fixture.Gauges.RefreshAsync(CancellationToken.None);
        var meters = fixture.Service.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        var gauges = new Dictionary<string, long>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This fixture's service only: other test hosts in the process have a meter of the same name.
            if (instrument.Meter.Name == RightsRequestsMetrics.MeterName && instrument.Meter.Scope == meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => gauges[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(before.Open + 3, gauges["procexon.requests.open"]);
        Assert.Equal(before.Overdue + 1, gauges["procexon.requests.overdue"]);
        Assert.Equal(before.DueSoon + 1, gauges["procexon.requests.due_soon"]);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("93")]
    public async Task Due_soon_days_out_of_range_is_a_problem_naming_days(string days)
    {
        using var response = await fixture.Http.GetAsync(new Uri($"/api/requests/due-soon?days={days}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["days"], (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    private async Task<List<Guid>> ListAsync(string path) =>
        [.. (await fixture.Http.GetFromJsonAsync<JsonElement[]>(new Uri(path, UriKind.Relative)))!.Select(r => r.GetProperty("id").GetGuid())];
}
