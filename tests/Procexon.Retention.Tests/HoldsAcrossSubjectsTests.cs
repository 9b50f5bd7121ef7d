using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Procexon.Contracts;
using Procexon.ServiceDefaults.Security;

namespace Procexon.Retention.Tests;

/// <summary>
/// The holds of every subject a page at a time, as the staff console's retention page reads them: the statutory holds
/// still to go (<c>GET /api/retention/holds/schedule</c>) and the legal holds people placed
/// (<c>GET /api/retention/legal-holds/log</c>). The collection's tests share one database, so each test works in a
/// register of its own, or counts what it adds.
/// </summary>
[Collection(RetentionCollection.Name)]
public sealed class HoldsAcrossSubjectsTests(RetentionFixture fixture)
{
    private const string Schedule = "/api/retention/holds/schedule";
    private const string Log = "/api/retention/legal-holds/log";

    [Fact]
    public async Task The_schedule_lists_every_subjects_scheduled_holds_soonest_to_go_first_a_page_at_a_time()
    {
        var register = NewRegister();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await fixture.AnswerAsync(Retained(register, TestData.Invoices(first, new DateOnly(2040, 12, 31)), TestData.Payslips(first, new DateOnly(2035, 12, 31))));
        await fixture.AnswerAsync(Retained(register, TestData.Invoices(second, new DateOnly(2038, 12, 31))));
        // One whose period has ended is released by the sweep: it is no longer scheduled.
        await fixture.AnswerAsync(Retained(register, TestData.Invoices(second, fixture.Today.AddDays(-1))));
        await fixture.SweepNowAsync();

        var page1 = await PageAsync($"{Schedule}?register={register}&pageSize=2");
        var page2 = await PageAsync($"{Schedule}?register={register}&pageSize=2&page=2");
        var untilFirst = await PageAsync($"{Schedule}?register={register}&until=2038-12-31");
        var released = await PageAsync($"{Schedule}?register={register}&status=released");

        Assert.Equal((1, 2, 3), (Number(page1), Size(page1), Total(page1)));
        Assert.Equal(["2035-12-31", "2038-12-31"], Items(page1).Select(h => h.GetProperty("retainUntil").GetString()));
        Assert.Equal([first, second], Items(page1).Select(h => h.GetProperty("subjectId").GetGuid()));
        Assert.Equal(["2040-12-31"], Items(page2).Select(h => h.GetProperty("retainUntil").GetString()));
        Assert.Equal((2, 3), (Number(page2), Total(page2)));
        Assert.Equal(2, Total(untilFirst));
        Assert.Equal(second, Assert.Single(Items(released)).GetProperty("subjectId").GetGuid());
        // Each item is the hold as GET /api/retention/holds/{id} shows it.
        var one = await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/retention/holds/{Items(page1)[0].GetProperty("id").GetGuid()}", UriKind.Relative));
        Assert.Equal(one.ToString(), Items(page1)[0].ToString());
    }

    [Fact]
    public async Task The_legal_hold_log_lists_every_subjects_holds_newest_first_filtered_by_status_and_the_register_they_cover()
    {
        var register = NewRegister();
        var inForceBefore = Total(await PageAsync($"{Log}?register={register}&status=in-force"));

        var onRegister = await PlaceAsync(register);
        var lifted = await PlaceAsync(register);
        var onEvery = await PlaceAsync(register: null);
        var elsewhere = await PlaceAsync(NewRegister());
        using (var lifting = await fixture.Http.PostAsJsonAsync(new Uri($"/api/retention/legal-holds/{lifted}/lifting", UriKind.Relative), new { reason = "Settled" }))
        {
            Assert.Equal(HttpStatusCode.OK, lifting.StatusCode);
        }

        var inForce = await PageAsync($"{Log}?register={register}&status=in-force&pageSize=2");
        var liftedOnes = await PageAsync($"{Log}?register={register}&status=lifted&pageSize=100");
        var newest = await PageAsync($"{Log}?pageSize=4");

        // A hold on every register covers this one; a hold on another register does not, nor does a lifted one.
        Assert.Equal(inForceBefore + 2, Total(inForce));
        Assert.Equal([onEvery, onRegister], Items(inForce).Select(h => h.GetProperty("id").GetGuid()));
        Assert.All(Items(inForce), h => Assert.Equal("in-force", h.GetProperty("status").GetString()));
        Assert.Contains(lifted, Items(liftedOnes).Select(h => h.GetProperty("id").GetGuid()));
        Assert.DoesNotContain(onRegister, Items(liftedOnes).Select(h => h.GetProperty("id").GetGuid()));
        Assert.Equal([elsewhere, onEvery, lifted, onRegister], Items(newest).Select(h => h.GetProperty("id").GetGuid()));
    }

    [Theory]
    [InlineData(Schedule)]
    [InlineData(Log)]
    public async Task A_bad_query_is_a_validation_problem_naming_each_field(string path)
    {
        using var response = await fixture.Http.GetAsync(new Uri($"{path}?page=0&pageSize=101&status=forgotten&register=Not%20a%20slug", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["page", "pageSize", "register", "status"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(Schedule, PlatformRoles.Auditor, HttpStatusCode.OK)]
    [InlineData(Schedule, PlatformRoles.RegisterAdmin, HttpStatusCode.OK)]
    [InlineData(Schedule, PlatformRoles.CustomerService, HttpStatusCode.Forbidden)]
    [InlineData(Log, PlatformRoles.Auditor, HttpStatusCode.OK)]
    [InlineData(Log, PlatformRoles.RegisterAdmin, HttpStatusCode.OK)]
    [InlineData(Log, PlatformRoles.CustomerService, HttpStatusCode.Forbidden)]
    public async Task Whoever_reads_retention_reads_the_holds_across_subjects_and_no_one_else(string path, string role, HttpStatusCode expected)
    {
        using var client = fixture.ClientOf(role);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>Places a hold on a new subject, a second after the last one (the fixture's clock stands still otherwise).</summary>
    private async Task<Guid> PlaceAsync(string? register)
    {
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        using var response = await fixture.Http.PostAsJsonAsync(new Uri("/api/retention/legal-holds", UriKind.Relative),
            new { subjectId = Guid.NewGuid(), register, reason = "Claim 2026/31" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> PageAsync(string path)
    {
        using var response = await fixture.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["items", "page", "pageSize", "total"], page.EnumerateObject().Select(p => p.Name));
        return page;
    }

    /// <summary>An erasure's answer from a register of the test's own.</summary>
    private static RegisterErasureOutcome Retained(string register, params RetainedData[] retained) =>
        TestData.RetainedUnderLaw(Guid.NewGuid(), retained) with { Register = register };

    private static string NewRegister() => $"claims-{Guid.NewGuid():N}"[..20];

    private static JsonElement[] Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    private static int Number(JsonElement page) => page.GetProperty("page").GetInt32();

    private static int Size(JsonElement page) => page.GetProperty("pageSize").GetInt32();

    private static int Total(JsonElement page) => page.GetProperty("total").GetInt32();
}
