using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Messaging.Transit;
using Procexon.Testing;
using RabbitMQ.Client;

namespace Procexon.Messaging.Tests;

/// <summary>
/// Personal values the services pass each other (corrections, held identifiers, records of an access answer) travel
/// sealed: the broker, a queue's copy and an operator reading it see ids and names of things, the consumer the values.
/// </summary>
[Collection(MessagingCollection.Name)]
public sealed class TransitSealingTests(MessagingFixture fixture)
{
    private const string CorrectedEmail = "aino.virtanen@example.fi";

    [Fact]
    public void The_messages_sealed_in_transit_are_those_between_the_services_that_carry_personal_values()
    {
        Assert.Equal(
            new[] { typeof(ExerciseRightInRegister), typeof(RegisterRightCompleted), typeof(SubjectRightRequested), typeof(SubjectRightScopeResolved) },
            PersonalValuesInTransit.Types.OrderBy(t => t.Name));

        // What goes to a recipient's own queue is the recipient's to read: the disclosure, the corrected values.
        Assert.False(PersonalValuesInTransit.AreSealed(typeof(DataDisclosed)));
        Assert.False(PersonalValuesInTransit.AreSealed(typeof(RectificationNoticeSent)));

        Assert.True(PersonalValuesInTransit.AreExchangedBy("registry"));
        Assert.True(PersonalValuesInTransit.AreExchangedBy("rightsrequests"));
        Assert.True(PersonalValuesInTransit.AreExchangedBy("disclosurelog"));
        Assert.False(PersonalValuesInTransit.AreExchangedBy("retention"));
    }

    [Theory]
    [InlineData("registry", null, "Messaging:TransitKey is missing")]
    [InlineData("disclosurelog", "too-short", "Messaging:TransitKey is too short")]
    public void A_service_that_exchanges_personal_values_does_not_start_without_the_key(string service, string? key, string error)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Messaging:TransitKey"] = key }).Build();

        var refused = Assert.Throws<InvalidOperationException>(() => TransitEncryption.For(service, configuration));

        Assert.StartsWith(error, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_service_that_exchanges_none_needs_no_key() =>
        Assert.Null(TransitEncryption.For("retention", new ConfigurationBuilder().Build()));

    [Fact]
    public async Task On_the_broker_a_correction_is_sealed_and_the_consumer_reads_it_whole()
    {
        var requestId = Guid.NewGuid();
        var published = new PublishedMessages();
        var probe = await TestBus.StartProbeAsync(fixture.Broker, "transit-probe", published, typeof(SubjectRightRequested));
        var factory = new ConnectionFactory { Uri = fixture.Broker.Uri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            // A queue of the test's own on the event's exchange: what the broker holds, byte for byte.
            var copy = (await channel.QueueDeclareAsync($"transit-copy-{requestId:N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
            await channel.QueueBindAsync(copy, IntegrationEventRoutes.ExchangeOf(typeof(SubjectRightRequested)), routingKey: "");

            await fixture.Host.Services.GetRequiredService<IBus>().Publish(new SubjectRightRequested(
                requestId, SubjectRights.Rectification, new SubjectKeyHashes("k1", Email: [1, 2, 3]),
                [new FieldCorrection("email", CorrectedEmail)], DateTimeOffset.UtcNow));

            BasicGetResult? held = null;
            Assert.True(await Eventually.EventuallyAsync(async () => (held = await channel.BasicGetAsync(copy, autoAck: true)) is not null, TimeSpan.FromSeconds(20)),
                "The event never reached the test's queue.");
            var body = Encoding.UTF8.GetString(held!.Body.Span);
            Assert.DoesNotContain(CorrectedEmail, body, StringComparison.Ordinal);
            Assert.DoesNotContain("virtanen", body, StringComparison.OrdinalIgnoreCase);
            // The rest stays readable: which request, which right.
            Assert.Contains(requestId.ToString(), body, StringComparison.Ordinal);
            Assert.Contains(SubjectRights.Rectification, body, StringComparison.Ordinal);
            var correction = JsonNode.Parse(body)!["message"]!["corrections"]!.AsArray().Single()!;
            Assert.Equal(JsonValueKind.String, correction.GetValueKind());

            Assert.True(await Eventually.EventuallyAsync(() => published.All<SubjectRightRequested>().Any(m => m.RequestId == requestId), TimeSpan.FromSeconds(20)),
                "The probe never received the event.");
            var received = published.All<SubjectRightRequested>().Single(m => m.RequestId == requestId);
            Assert.Equal(new FieldCorrection("email", CorrectedEmail), Assert.Single(received.Corrections));
        }
        finally
        {
            await TestBus.StopAsync(probe);
        }
    }

    [Fact]
    public void A_message_to_a_recipient_stays_readable_to_it()
    {
        var disclosure = new DataDisclosed(Guid.NewGuid(), "finago", Guid.NewGuid(), new SubjectKeys(Email: CorrectedEmail), ["basic-data"], "contract");

        var json = JsonSerializer.Serialize<object>(disclosure, SystemTextJsonMessageSerializer.Options);

        Assert.Contains(CorrectedEmail, json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sealed_part_opens_only_as_what_it_was_sealed_as()
    {
        var options = SystemTextJsonMessageSerializer.Options;
        var resolved = new SubjectRightScopeResolved(Guid.NewGuid(), SubjectRights.Access, [Guid.NewGuid()], [], [],
            [new HeldIdentifiers(Guid.NewGuid(), "Aino Virtanen", CorrectedEmail, null, null, null, null)], [new FieldCorrection("email", CorrectedEmail)],
            DateTimeOffset.UtcNow);
        var json = JsonNode.Parse(JsonSerializer.Serialize(resolved, options))!;
        Assert.DoesNotContain(CorrectedEmail, json.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(resolved.Identifiers, JsonSerializer.Deserialize<SubjectRightScopeResolved>(json.ToJsonString(), options)!.Identifiers);

        // The sealed correction put where a held identifier was: it does not open there.
        json["identifiers"]![0] = json["corrections"]![0]!.DeepClone();
        Assert.ThrowsAny<CryptographicException>(() => JsonSerializer.Deserialize<SubjectRightScopeResolved>(json.ToJsonString(), options));

        // Altered by one character: refused too.
        var altered = JsonNode.Parse(JsonSerializer.Serialize(resolved, options))!;
        var sealedValue = Convert.FromBase64String(altered["corrections"]![0]!.GetValue<string>());
        sealedValue[^1] ^= 1;
        altered["corrections"]![0] = Convert.ToBase64String(sealedValue);
        Assert.ThrowsAny<CryptographicException>(() => JsonSerializer.Deserialize<SubjectRightScopeResolved>(altered.ToJsonString(), options));
    }

    [Fact]
    public void A_part_in_clear_from_a_sender_that_does_not_seal_yet_is_still_read()
    {
        var requestId = Guid.NewGuid();
        var clear = $$"""
            {"requestId":"{{requestId}}","right":"rectification","subject":{"keyId":"k1"},
             "corrections":[{"field":"email","value":"{{CorrectedEmail}}"}],"verifiedAt":"2026-12-04T10:00:00+00:00"}
            """;

        var message = JsonSerializer.Deserialize<SubjectRightRequested>(clear, SystemTextJsonMessageSerializer.Options)!;

        Assert.Equal(new FieldCorrection("email", CorrectedEmail), Assert.Single(message.Corrections));
    }
}
