using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>A merge in the Registry reaches the disclosure log: the survivor's disclosures include the duplicate's.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SubjectMergeFlowTests(PlatformFixture platform)
{
    [Fact]
    public async Task Disclosure_of_a_merged_duplicate_is_listed_under_the_surviving_subject()
    {
        var gateway = platform.Gateway;
        var survivor = await platform.Gateway.CreateSubjectAsync(new { name = "Maija Meikäläinen", customerNumber = $"C-{Random.Shared.Next(100000, 999999)}" });
        var duplicate = await platform.Gateway.CreateSubjectAsync(new { name = "M. Meikäläinen", customerNumber = $"C-{Random.Shared.Next(100000, 999999)}" });
        Guid disclosureId;
        using (var disclosed = await gateway.PostAsJsonAsync("/api/disclosures", new
        {
            recipientId = "accounting-firm",
            subjectId = duplicate,
            categories = new[] { "basic-data" },
            legalBasis = "contract",
            subject = new { customerNumber = "C-100200" },
        }))
        {
            await AssertStatusAsync(disclosed, HttpStatusCode.Created);
            using var body = JsonDocument.Parse(await disclosed.Content.ReadAsStringAsync());
            disclosureId = body.RootElement.GetProperty("id").GetGuid();
        }

        using (var merged = await gateway.PostAsJsonAsync($"/api/subjects/{survivor}/merge",
            new { duplicateId = duplicate, reason = "Same person, two customer numbers." }))
        {
            await AssertStatusAsync(merged, HttpStatusCode.Created);
        }

        Assert.True(await EventuallyAsync(async () => (await DisclosureIdsOfAsync(survivor)).Contains(disclosureId), TimeSpan.FromSeconds(30)),
            "The survivor's disclosures never included the duplicate's.");
        Assert.Empty(await DisclosureIdsOfAsync(duplicate));
    }

    private async Task<List<Guid>> DisclosureIdsOfAsync(Guid subjectId)
    {
        using var response = await platform.Gateway.GetAsync(new Uri($"/api/disclosures?subject={subjectId}", UriKind.Relative));
        await AssertStatusAsync(response, HttpStatusCode.OK);
        using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. list.RootElement.EnumerateArray().Select(d => d.GetProperty("id").GetGuid())];
    }

}
