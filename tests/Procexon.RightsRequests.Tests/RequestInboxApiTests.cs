using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Procexon.ServiceDefaults.Security;

namespace Procexon.RightsRequests.Tests;

/// <summary>
/// The staff inbox through the service's HTTP API: pages, filters, deadline marks and counts per status. Each test
/// narrows to a type and a due day no other test of the collection uses, so requests of other tests do not count.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class RequestInboxApiTests(LifecycleFixture fixture)
{
    [Fact]
    public async Task Thirty_overdue_requests_come_in_pages_of_25_and_5_counted_per_status_and_a_refused_one_loses_its_mark()
    {
        // Received 3 May 2027, due 3 June 2027: long past on the fixture's day (31 January 2028).
        var ids = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await fixture.ReceiveLetterAsync(new DateOnly(2027, 5, 3), type: "portability"));
        }

        const string Filter = "type=portability&dueFrom=2027-06-03&dueTo=2027-06-03";
        var first = await InboxAsync($"{Filter}&pageSize=25");
        var second = await InboxAsync($"{Filter}&pageSize=25&page=2");

        Assert.Equal(30, first.GetProperty("total").GetInt32());
        Assert.Equal(25, first.GetProperty("items").GetArrayLength());
        Assert.Equal(5, second.GetProperty("items").GetArrayLength());
        var listed = Items(first).Concat(Items(second)).Select(i => i.GetProperty("request").GetProperty("id").GetGuid()).ToList();
        Assert.Equal(ids.Order(), listed.Order());
        Assert.All(Items(first).Concat(Items(second)), i => Assert.Equal("overdue", i.GetProperty("deadline").GetString()));
        Assert.Equal(30, first.GetProperty("countsByStatus").GetProperty("awaiting-verification").GetInt32());
        Assert.Equal(0, first.GetProperty("countsByStatus").GetProperty("refused").GetInt32());
        Assert.Equal("2028-01-31", first.GetProperty("today").GetString());

        using (var refused = await fixture.Http.PostAsJsonAsync($"/api/requests/{ids[0]}/refusal", new { reason = "Excessive: thirty in a day" }))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        }

        var overdue = await InboxAsync($"{Filter}&deadline=overdue&pageSize=100");
        Assert.Equal(29, overdue.GetProperty("total").GetInt32());
        Assert.DoesNotContain(ids[0], Items(overdue).Select(i => i.GetProperty("request").GetProperty("id").GetGuid()));
        var closed = await InboxAsync($"{Filter}&status=refused");
        var only = Assert.Single(Items(closed));
        Assert.Equal(ids[0], only.GetProperty("request").GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.Null, only.GetProperty("deadline").ValueKind);
        // The counts ignore the status filter, so the inbox can show every status's count beside the one listed.
        Assert.Equal(29, closed.GetProperty("countsByStatus").GetProperty("awaiting-verification").GetInt32());
        Assert.Equal(1, closed.GetProperty("countsByStatus").GetProperty("refused").GetInt32());
    }

    [Fact]
    public async Task A_request_due_within_seven_days_is_marked_due_soon_and_one_due_in_a_month_is_not_marked()
    {
        // Due 5 February 2028 (five days after the fixture's day) and 29 February 2028.
        var soon = await fixture.ReceiveLetterAsync(new DateOnly(2028, 1, 5), type: "restriction");
        var later = await fixture.ReceiveLetterAsync(LifecycleFixture.Today, type: "restriction");

        var dueSoon = await InboxAsync("type=restriction&deadline=due-soon&dueFrom=2028-02-05&dueTo=2028-02-05");
        var all = await InboxAsync("type=restriction&dueFrom=2028-02-05&dueTo=2028-02-29&pageSize=100");

        var item = Assert.Single(Items(dueSoon));
        Assert.Equal(soon, item.GetProperty("request").GetProperty("id").GetGuid());
        Assert.Equal("due-soon", item.GetProperty("deadline").GetString());
        var unmarked = Items(all).Single(i => i.GetProperty("request").GetProperty("id").GetGuid() == later);
        Assert.Equal(JsonValueKind.Null, unmarked.GetProperty("deadline").ValueKind);
        // Soonest due first.
        Assert.Equal(soon, Items(all).First().GetProperty("request").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_bad_inbox_query_is_a_problem_naming_each_field()
    {
        using var response = await fixture.Http.GetAsync(new Uri(
            "/api/requests/inbox?status=lost&type=forget-me&deadline=tomorrow&dueFrom=2028-02-01&dueTo=2028-01-01&page=0&pageSize=101", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["deadline", "dueTo", "page", "pageSize", "status", "type"], errors.EnumerateObject().Select(e => e.Name).Order());
    }

    [Fact]
    public async Task The_inbox_is_for_those_who_read_requests()
    {
        using var anonymous = await fixture.Anonymous.GetAsync(new Uri("/api/requests/inbox", UriKind.Relative));
        using var admin = await fixture.As(PlatformRoles.RegisterAdmin).GetAsync(new Uri("/api/requests/inbox", UriKind.Relative));
        using var auditor = await fixture.As(PlatformRoles.Auditor).GetAsync(new Uri("/api/requests/inbox", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, auditor.StatusCode);
    }

    private async Task<JsonElement> InboxAsync(string query) =>
        await fixture.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/requests/inbox?{query}", UriKind.Relative));

    private static JsonElement.ArrayEnumerator Items(JsonElement page) => page.GetProperty("items").EnumerateArray();
}
