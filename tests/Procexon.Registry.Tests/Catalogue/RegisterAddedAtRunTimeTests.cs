using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Registry.Model;
using Procexon.ServiceDefaults.Security;
using Procexon.Testing;

namespace Procexon.Registry.Tests.Catalogue;

/// <summary>A Registry of its own: the register added here would change other tests' count of ten.</summary>
[CollectionDefinition(Name)]
public sealed class RegisterAddedAtRunTimeCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "Registry with a register added at run time";
}

[Collection(RegisterAddedAtRunTimeCollection.Name)]
public sealed class RegisterAddedAtRunTimeTests(RegistryFixture fixture)
{
    private const string Slug = "event-participants";

    [Fact]
    public async Task Register_added_through_the_api_is_erased_and_answers_rights_at_once_without_a_restart()
    {
        var admin = await fixture.AsAsync(PlatformRoles.RegisterAdmin);
        var body = (await admin.GetFromJsonAsync<JsonObject>(new Uri("/api/registers/contacts", UriKind.Relative)))!;
        body["slug"] = Slug;
        body["name"] = new JsonObject { ["fi"] = "Tapahtumien osallistujat", ["en"] = "Event participants" };
        body["changeNote"] = "A register for the 2027 customer event.";

        using (var added = await admin.PostAsJsonAsync(new Uri("/api/registers", UriKind.Relative), body))
        {
            Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
            Assert.Equal($"/api/registers/{Slug}", added.Headers.Location?.OriginalString);
        }

        using (var again = await admin.PostAsJsonAsync(new Uri("/api/registers", UriKind.Relative), body))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        body["slug"] = "Not A Slug";
        using (var bad = await admin.PostAsJsonAsync(new Uri("/api/registers", UriKind.Relative), body))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("\"slug\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var email = $"participant-{Guid.NewGuid():N}@example.fi";
        using (var record = await admin.PostAsJsonAsync(new Uri($"/api/registers/{Slug}/records", UriKind.Relative),
            new { subject = new { email }, category = "basic-data", fields = new { event_ = "Asiakaspäivä 2027" } }))
        {
            Assert.True(record.StatusCode == HttpStatusCode.Created, await record.Content.ReadAsStringAsync());
        }

        var bus = fixture.Probe.Services.GetRequiredService<IBus>();
        var access = Guid.NewGuid();
        await bus.Publish(new SubjectRightRequested(access, SubjectRights.Access, RegistryFixture.Hashes(new SubjectKeys(Email: email)), [], DateTimeOffset.UtcNow));
        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RegisterRightCompleted>().Any(c => c.RequestId == access && c.Register == Slug)),
            "The new register never answered the access request.");
        Assert.Single(fixture.Seen.All<RegisterRightCompleted>().Single(c => c.RequestId == access && c.Register == Slug).Records);

        var erasure = Guid.NewGuid();
        await bus.Publish(new ErasureRequested(erasure, RegistryFixture.Hashes(new SubjectKeys(Email: email)), DateTimeOffset.UtcNow));
        Assert.True(await EventuallyAsync(() => fixture.RegisterOutcomes().Any(c => c.RequestId == erasure && c.Register == Slug)),
            "The new register never answered the erasure request.");
        var erased = fixture.RegisterOutcomes().Single(c => c.RequestId == erasure && c.Register == Slug);
        Assert.Equal((ErasureOutcomes.Erased, 1), (erased.Outcome, erased.RecordsErased));
        Assert.Equal(0, await fixture.CountAsync(db => db.Records.Where(r => r.Register == Slug)));
    }

    [Fact]
    public async Task Register_another_replica_added_is_consumed_here_within_the_check_interval()
    {
        // What another replica's POST leaves behind: the register in the catalogue and its queues on the broker,
        // but no consumer on this replica yet.
        const string slug = "visitors";
        await fixture.InDatabaseAsync(async db =>
        {
            var contacts = await db.Registers.AsNoTracking().SingleAsync(r => r.Slug == "contacts");
            var register = new Register { Slug = slug, Position = 99, Description = contacts.Description, UpdatedAt = DateTimeOffset.UtcNow };
            db.Registers.Add(register);
            db.RegisterVersions.Add(RegisterVersion.Of(register, "another replica", "Added elsewhere."));
            return await db.SaveChangesAsync();
        });
        var admin = await fixture.AsAsync(PlatformRoles.RegisterAdmin);
        var email = $"visitor-{Guid.NewGuid():N}@example.fi";
        using (var record = await admin.PostAsJsonAsync(new Uri($"/api/registers/{slug}/records", UriKind.Relative),
            new { subject = new { email }, category = "basic-data", fields = new { visit = "2027-01-15" } }))
        {
            Assert.True(record.StatusCode == HttpStatusCode.Created, await record.Content.ReadAsStringAsync());
        }

        // The check runs every second here; an access request sent before it ran would find no queue, so ask until one
        // is answered.
        var bus = fixture.Probe.Services.GetRequiredService<IBus>();
        var answered = false;
        for (var attempt = 0; attempt < 15 && !answered; attempt++)
        {
            var access = Guid.NewGuid();
            await bus.Publish(new SubjectRightRequested(access, SubjectRights.Access, RegistryFixture.Hashes(new SubjectKeys(Email: email)), [], DateTimeOffset.UtcNow));
            answered = await EventuallyAsync(() => fixture.Seen.All<RegisterRightCompleted>().Any(c => c.RequestId == access && c.Register == slug), seconds: 2);
        }

        Assert.True(answered, "The register added by another replica never answered here.");
    }

    private static Task<bool> EventuallyAsync(Func<bool> condition, int seconds = 30) => Eventually.EventuallyAsync(condition, TimeSpan.FromSeconds(seconds));
}
