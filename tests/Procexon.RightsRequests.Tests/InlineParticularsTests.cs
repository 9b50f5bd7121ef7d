using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Procexon.RightsRequests.Tests;

/// <summary>A rectification's corrections and an objection's grounds given with the request itself.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class InlineParticularsTests(LifecycleFixture fixture)
{
    [Fact]
    public async Task A_rectification_received_with_its_corrections_keeps_them_normalised()
    {
        var id = await fixture.ReceiveAsync(new
        {
            type = "rectification",
            subject = new { email = "vanha@example.fi" },
            corrections = new[] { new { field = "phone", value = "040 123 4567" } },
        });

        var request = await fixture.InScopeAsync(db => db.Requests.AsNoTracking().SingleAsync(r => r.Id == id));
        var correction = Assert.Single(request.Corrections);
        Assert.Equal(("phone", "+358401234567"), (correction.Field, correction.Value));
    }

    [Fact]
    public async Task An_objection_received_with_its_grounds_needs_no_further_particulars()
    {
        var id = await fixture.ReceiveAsync(new { type = "objection", subject = new { email = "kielto@example.fi" }, objection = "Direct-Marketing" });

        var request = await fixture.InScopeAsync(db => db.Requests.AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.Equal("direct-marketing", request.ObjectionTo);
        Assert.True(request.HasParticulars);
    }

    [Theory]
    [InlineData("access", "corrections")]
    [InlineData("rectification", "corrections[0].value")]
    [InlineData("erasure", "objection")]
    public async Task Particulars_a_type_does_not_take_or_a_bad_correction_are_a_problem_naming_the_field(string type, string field)
    {
        object body = field == "objection"
            ? new { type, subject = new { email = "x@example.fi" }, objection = "direct-marketing" }
            : new { type, subject = new { email = "x@example.fi" }, corrections = new[] { new { field = "email", value = "not an address" } } };
        var before = await fixture.InScopeAsync(db => db.Requests.CountAsync());

        using var response = await fixture.Http.PostAsJsonAsync("/api/requests", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal(before, await fixture.InScopeAsync(db => db.Requests.CountAsync()));
    }
}
