using System.Net.Http.Json;
using System.Text.Json;

namespace Procexon.Retention.Tests;

[Collection(RetentionCollection.Name)]
public sealed class HealthTests(RetentionFixture fixture)
{
    [Fact]
    public async Task Health_shows_what_the_last_scheduled_sweep_did_to_anyone()
    {
        using var response = await fixture.Anonymous.GetAsync(new Uri("/health", UriKind.Relative));
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();

        var sweeps = health.GetProperty("checks").GetProperty("retention-sweeps");
        Assert.Equal("Healthy", sweeps.GetProperty("status").GetString());
        Assert.StartsWith("The sweep at ", sweeps.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
