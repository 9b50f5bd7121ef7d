using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Procexon.ServiceDefaults.Security;

namespace Procexon.DisclosureLog.Tests;

/// <summary>
/// The whole disclosure log a page at a time (<c>GET /api/disclosures/log</c>), as the staff console reads it: newest
/// first, counted in the database, filtered by recipient, with its bad queries named by field.
/// </summary>
[Collection(DisclosureLogCollection.Name)]
public sealed class DisclosureLogPagingTests(DisclosureLogFixture fixture)
{
    // The collection runs its tests one at a time, so what this recipient gains between the two reads is this test's.
    private const string Recipient = "staff";

    [Fact]
    public async Task The_log_is_read_a_page_at_a_time_newest_first_and_counted_per_recipient()
    {
        using var admin = fixture.DisclosureLogClient(PlatformRoles.RegisterAdmin);
        using var auditor = fixture.DisclosureLogClient(PlatformRoles.Auditor);
        var before = await PageAsync(auditor, $"/api/disclosures/log?recipient={Recipient}&pageSize=2");
        var subjects = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            // A second apart on the service's clock, so newest-first has one answer.
            fixture.Clock.Advance(TimeSpan.FromSeconds(1));
            var subjectId = Guid.NewGuid();
            using var recorded = await admin.PostAsJsonAsync(new Uri("/api/disclosures", UriKind.Relative), new
            {
                recipientId = Recipient,
                subjectId = subjectId.ToString(),
                categories = new[] { "basic-data" },
                legalBasis = "contract",
            });
            Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
            subjects.Add(subjectId);
        }

        var first = await PageAsync(auditor, $"/api/disclosures/log?recipient={Recipient}&pageSize=2");
        var second = await PageAsync(auditor, $"/api/disclosures/log?recipient={Recipient}&pageSize=2&page=2");
        var everyone = await PageAsync(auditor, "/api/disclosures/log");

        Assert.Equal(before.GetProperty("total").GetInt32() + 3, first.GetProperty("total").GetInt32());
        Assert.Equal([subjects[2], subjects[1]], SubjectsOf(first));
        Assert.Equal(subjects[0], SubjectsOf(second)[0]);
        Assert.Equal((2, 2), (second.GetProperty("page").GetInt32(), second.GetProperty("pageSize").GetInt32()));
        Assert.All(first.GetProperty("items").EnumerateArray(), d => Assert.Equal(Recipient, d.GetProperty("recipientId").GetString()));
        Assert.Equal(25, everyone.GetProperty("pageSize").GetInt32());
        Assert.True(everyone.GetProperty("total").GetInt32() >= first.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_bad_page_size_page_or_recipient_is_a_problem_naming_each()
    {
        using var auditor = fixture.DisclosureLogClient(PlatformRoles.Auditor);

        using var response = await auditor.GetAsync(new Uri("/api/disclosures/log?page=0&pageSize=101&recipient=tax-office", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["page", "pageSize", "recipient"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_processor_and_customer_service_may_not_read_the_log()
    {
        using var processor = fixture.ProcessorClient("accounting-firm");
        using var service = fixture.DisclosureLogClient(PlatformRoles.CustomerService);

        using var byProcessor = await processor.GetAsync(new Uri("/api/disclosures/log", UriKind.Relative));
        using var byService = await service.GetAsync(new Uri("/api/disclosures/log", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, byProcessor.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byService.StatusCode);
    }

    private static async Task<JsonElement> PageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static List<Guid> SubjectsOf(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("subjectId").GetGuid())];
}
