using System.Text.Json;
using Procexon.Contracts;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.IntegrationEvents;
using Procexon.DisclosureLog.Model;

namespace Procexon.DisclosureLog.Tests.Webhooks;

/// <summary>Every webhook event type has its published schema, and the events the service builds point at it and carry what it requires.</summary>
[Trait("Category", "Unit")]
public sealed class WebhookEventSchemaTests
{
    public static TheoryData<object> Messages() => new(
        new DataDisclosed(Guid.CreateVersion7(), "website-it-company", Guid.CreateVersion7(), new SubjectKeys(Email: "maija@example.fi"), ["basic-data"], "contract"),
        new ErasureNoticeSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "website-it-company", [Guid.CreateVersion7()], ["basic-data"]),
        new RectificationNoticeSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "website-it-company", [Guid.CreateVersion7()], [new FieldCorrection("email", "uusi@example.fi")]),
        new SubjectsMerged(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), DateTimeOffset.UtcNow),
        new RestrictionNoticeSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "website-it-company", [Guid.CreateVersion7()], ["basic-data"]),
        new RestrictionLiftedNoticeSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "website-it-company", [Guid.CreateVersion7()], ["basic-data"]));

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task Event_has_its_types_schema_and_the_envelope_and_data_the_schema_requires(object message)
    {
        var cloudEvent = WebhookEvents.For(message, "website-it-company", DateTimeOffset.UtcNow, WebhookFixture.Schemas);
        using var json = JsonDocument.Parse(WebhookEvents.Encode(cloudEvent));
        // The event names its schema where the gateway publishes it.
        Assert.Equal($"{DisclosureLogFixture.PublicAddress}/api/webhooks/schemas/{cloudEvent.Type}", json.RootElement.GetProperty("dataschema").GetString());

        var schema = await WebhookSchemasApi.GetSchema(cloudEvent.Type!, default);
        var content = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult>(schema.Result);
        using var schemaJson = JsonDocument.Parse(content.ResponseContent!);
        Assert.Equal(cloudEvent.Type, schemaJson.RootElement.GetProperty("properties").GetProperty("type").GetProperty("const").GetString());
        foreach (var required in schemaJson.RootElement.GetProperty("required").EnumerateArray())
        {
            Assert.True(json.RootElement.TryGetProperty(required.GetString()!, out _), $"{cloudEvent.Type} lacks {required}");
        }

        var data = json.RootElement.GetProperty("data");
        foreach (var required in schemaJson.RootElement.GetProperty("properties").GetProperty("data").GetProperty("required").EnumerateArray())
        {
            Assert.True(data.TryGetProperty(required.GetString()!, out _), $"{cloudEvent.Type} data lacks {required}");
        }

        Assert.Equal(cloudEvent.Id, json.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public void Every_type_is_listed_with_its_schema_path()
    {
        var listed = WebhookSchemasApi.ListSchemas().Value!;
        Assert.Equal(WebhookEventTypes.All, listed.Select(s => s.Type));
        Assert.All(listed, s => Assert.Equal($"/api/webhooks/schemas/{s.Type}", s.Schema));
    }
}
