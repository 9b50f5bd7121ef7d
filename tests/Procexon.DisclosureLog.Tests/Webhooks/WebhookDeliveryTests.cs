using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.DisclosureLog.IntegrationEvents;
using Procexon.DisclosureLog.Model;
using Procexon.Messaging.Database;
using Procexon.Messaging.Outbox;
using Procexon.Testing;

namespace Procexon.DisclosureLog.Tests.Webhooks;

[Collection(WebhookCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Disclosure_and_erasure_notice_arrive_in_order_as_signed_cloud_events_with_the_notice_id()
    {
        var subject = Guid.CreateVersion7();
        await DiscloseAsync(WebhookFixture.VerifyingRecipient, subject);
        var requestId = Guid.CreateVersion7();
        var noticeId = await NotifyOfErasureAsync(requestId, subject, DateTimeOffset.UtcNow.ToMicroseconds());

        Assert.True(await Eventually.EventuallyAsync(() => fixture.Verifying.Received.Any(r => r.Id == noticeId.ToString()), Patience));
        var received = fixture.Verifying.Received.Where(r => r.Body.Contains(subject.ToString(), StringComparison.Ordinal)).ToList();
        Assert.Equal([WebhookEventTypes.Disclosure, WebhookEventTypes.ErasureNotice], received.Select(TypeOf));
        Assert.All(received, r =>
        {
            Assert.True(r.VerifiedByPackage, "the StandardWebhooks package verifies the signature");
            Assert.True(r.VerifiedByHand, "the HMAC computed from the specification matches");
            Assert.StartsWith("application/cloudevents+json", r.ContentType, StringComparison.Ordinal);
            Assert.InRange(long.Parse(r.Timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        });

        using var notice = JsonDocument.Parse(received[1].Body);
        Assert.Equal("1.0", notice.RootElement.GetProperty("specversion").GetString());
        Assert.Equal(noticeId.ToString(), notice.RootElement.GetProperty("id").GetString());
        Assert.Equal(received[1].Id, notice.RootElement.GetProperty("id").GetString());
        Assert.Equal(WebhookEvents.Source.ToString(), notice.RootElement.GetProperty("source").GetString());
        Assert.Equal(WebhookFixture.Schemas.SchemaOf(WebhookEventTypes.ErasureNotice).ToString(), notice.RootElement.GetProperty("dataschema").GetString());
        var data = notice.RootElement.GetProperty("data");
        Assert.Equal(requestId, data.GetProperty("requestId").GetGuid());
        Assert.Equal([subject], data.GetProperty("subjectIds").EnumerateArray().Select(e => e.GetGuid()));

        // The body is encrypted while it waits, and emptied once delivered: the log keeps no copy of what was sent.
        Assert.True(await Eventually.EventuallyAsync(() => DeliveredAsync(noticeId), Patience));
        Assert.Equal("", await fixture.InDisclosureLogAsync(db => db.WebhookDeliveries.Where(d => d.Id == noticeId).Select(d => d.Body).SingleAsync()));
        var stored = await fixture.InDisclosureLogAsync(db => db.Database
            .SqlQuery<byte[]>($"SELECT body_encrypted AS \"Value\" FROM webhook_deliveries WHERE recipient = {WebhookFixture.VerifyingRecipient}").ToListAsync());
        Assert.All(stored, bytes => Assert.DoesNotContain(subject.ToString("N")[..8] + "@example.fi", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Endpoint_down_then_up_gets_the_event_once_after_failed_attempts()
    {
        var disclosureId = await DiscloseAsync(WebhookFixture.FlakyRecipient, Guid.CreateVersion7());

        Assert.True(await Eventually.EventuallyAsync(async () => await AttemptsAsync(disclosureId) >= 1, Patience));
        await fixture.Flaky.StartAsync();

        Assert.True(await Eventually.EventuallyAsync(async () => await DeliveredAsync(disclosureId), Patience));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(fixture.Flaky.Received, r => r.Id == disclosureId.ToString());
        var attempts = await fixture.InDisclosureLogAsync(db => db.WebhookDeliveryAttempts.Where(a => a.DeliveryId == disclosureId).OrderBy(a => a.Number).ToListAsync());
        Assert.True(attempts.Count >= 2, $"{attempts.Count} attempts");
        Assert.All(attempts[..^1], a => Assert.False(a.Succeeded));
        Assert.True(attempts[^1].Succeeded);
        Assert.Equal(200, attempts[^1].StatusCode);
    }

    [Fact]
    public async Task Circuit_opens_for_a_failing_recipient_while_another_is_served()
    {
        var failing = await DiscloseAsync(WebhookFixture.FailingRecipient, Guid.CreateVersion7());
        var served = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            served.Add(await DiscloseAsync(WebhookFixture.HealthyRecipient, Guid.CreateVersion7()));
        }

        var sender = fixture.DisclosureLog.Services.GetRequiredService<WebhookSender>();
        Assert.True(await Eventually.EventuallyAsync(() => sender.IsCircuitOpen(WebhookFixture.FailingRecipient), Patience));
        Assert.True(await Eventually.EventuallyAsync(async () =>
        {
            foreach (var id in served)
            {
                if (!await DeliveredAsync(id))
                {
                    return false;
                }
            }

            return true;
        }, Patience));
        Assert.False(sender.IsCircuitOpen(WebhookFixture.HealthyRecipient));

        // Open: the failing recipient is asked nothing more for now.
        var asked = fixture.Failing.Received.Count;
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(asked, fixture.Failing.Received.Count);
        Assert.False(await DeliveredAsync(failing));
        Assert.Equal(asked, await AttemptsAsync(failing));
    }

    [Fact]
    public async Task Delivery_resumes_after_the_disclosure_log_restarts()
    {
        var disclosureId = await DiscloseAsync(WebhookFixture.RestartRecipient, Guid.CreateVersion7());
        Assert.True(await Eventually.EventuallyAsync(async () => await AttemptsAsync(disclosureId) >= 1, Patience));

        await fixture.RestartDisclosureLogAsync(fixture.AcrossRestart.StartAsync);

        Assert.True(await Eventually.EventuallyAsync(async () => await DeliveredAsync(disclosureId), Patience));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var received = Assert.Single(fixture.AcrossRestart.Received, r => r.Id == disclosureId.ToString());
        Assert.True(received.VerifiedByPackage);
    }

    [Fact]
    public async Task Notice_undelivered_past_the_give_up_period_is_given_up_and_overdue()
    {
        // Written two hours ago, beyond the fixture's one-hour give-up period: the first failed attempt gives up.
        var longAgo = DateTimeOffset.UtcNow.AddHours(-2).ToMicroseconds();
        var subject = Guid.CreateVersion7();
        var disclosureId = await DiscloseAsync(WebhookFixture.UnreachableRecipient, subject, longAgo);
        var requestId = Guid.CreateVersion7();
        var noticeId = await NotifyOfErasureAsync(requestId, subject, longAgo);

        Assert.True(await Eventually.EventuallyAsync(() => fixture.InDisclosureLogAsync(db =>
            db.WebhookDeliveries.AnyAsync(d => d.Id == noticeId && d.GaveUpAt != null)), Patience));
        var (delivery, overdue) = await fixture.InDisclosureLogAsync(async db => (
            await db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == noticeId),
            await db.ErasureNotifications.OverdueAt(DateTimeOffset.UtcNow).AnyAsync(n => n.Id == noticeId)));
        Assert.Null(delivery.DeliveredAt);
        Assert.Equal("", delivery.Body);
        Assert.True(overdue, "A notice that could not be delivered is overdue at once, not after its confirm-by date a week later.");
        var counts = await fixture.DisclosureLog.Services.GetRequiredService<OverdueNoticesMonitor>().RefreshAsync(default);
        Assert.True(counts.Erasures >= 1);
        Assert.True(await fixture.InDisclosureLogAsync(db => db.WebhookDeliveries.AnyAsync(d => d.Id == disclosureId && d.GaveUpAt != null)));
    }

    [Fact]
    public async Task Each_send_is_a_span_in_the_trace_that_wrote_the_event()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("Procexon.DisclosureLog.Tests");
        Guid disclosureId;
        string traceId;
        using (var request = source.StartActivity("POST /api/disclosures")!)
        {
            traceId = request.TraceId.ToString();
            disclosureId = await DiscloseAsync(WebhookFixture.VerifyingRecipient, Guid.CreateVersion7());
        }

        Assert.True(await Eventually.EventuallyAsync(() => fixture.Verifying.Received.Any(r => r.Id == disclosureId.ToString()), Patience));
        var received = fixture.Verifying.Received.Single(r => r.Id == disclosureId.ToString());
        Assert.Contains(traceId, received.TraceParent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lifting_does_not_wait_behind_a_restriction_notice_never_delivered_which_is_withdrawn_while_a_delivered_one_is_left_alone()
    {
        var subject = Guid.CreateVersion7();
        var requestId = Guid.CreateVersion7();
        await DiscloseAsync(WebhookFixture.VerifyingRecipient, subject);
        await DiscloseAsync(WebhookFixture.HealthyRecipient, subject);
        // The restriction reaches the website company; Verkko24's attempt failed and backs off for an hour, as behind a
        // dead endpoint, so without more its lifting would wait behind it until the give-up period ends.
        var restrictions = await fixture.InDisclosureLogAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow.ToMicroseconds();
            await RestrictionNotices.NotifyAsync(db, new EventOutbox<DisclosureLogContext>(db, TimeProvider.System), RecipientNoticeKinds.Restriction,
                requestId, [subject], null, now, TimeSpan.FromDays(7), WebhookFixture.Schemas, default);
            var stuck = db.WebhookDeliveries.Local.Single(d => d.Recipient == WebhookFixture.HealthyRecipient && d.Type == WebhookEventTypes.RestrictionNotice);
            stuck.Attempts = 3;
            stuck.NextAttemptAt = now.AddHours(1);
            await db.SaveChangesAsync();
            return await db.RestrictionNotifications.AsNoTracking().Where(n => n.RequestId == requestId).ToDictionaryAsync(n => n.Recipient, n => n.Id);
        });
        var delivered = restrictions[WebhookFixture.VerifyingRecipient];
        var stuck = restrictions[WebhookFixture.HealthyRecipient];
        Assert.True(await Eventually.EventuallyAsync(() => DeliveredAsync(delivered), Patience));

        var lifted = await LiftAsync(requestId);
        // Lifted again (the event redelivered under another id): nothing more is told, superseded or withdrawn.
        var again = await LiftAsync(requestId);

        Assert.Equal(new RestrictionLiftingOutcome(2, 2, 1), lifted);
        Assert.Equal(new RestrictionLiftingOutcome(2, 0, 0), again);
        var liftings = await fixture.InDisclosureLogAsync(db => db.RestrictionNotifications.AsNoTracking()
            .Where(n => n.RequestId == requestId && n.Kind == RecipientNoticeKinds.RestrictionLifted).ToDictionaryAsync(n => n.Recipient, n => n.Id));
        Assert.Equal(2, liftings.Count);
        // Each recipient hears of the lifting: Verkko24 at once, without the restriction it never received.
        Assert.True(await Eventually.EventuallyAsync(() => fixture.Healthy.Received.Any(r => r.Id == liftings[WebhookFixture.HealthyRecipient].ToString()), Patience),
            "The lifting never reached Verkko24.");
        Assert.True(await Eventually.EventuallyAsync(() => fixture.Verifying.Received.Any(r => r.Id == liftings[WebhookFixture.VerifyingRecipient].ToString()), Patience),
            "The lifting never reached the website company.");
        Assert.DoesNotContain(fixture.Healthy.Received, r => r.Id == stuck.ToString());
        var withdrawn = await fixture.InDisclosureLogAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == stuck));
        Assert.Equal((null, true, 3, ""), (withdrawn.DeliveredAt, withdrawn.GaveUpAt is not null, withdrawn.Attempts, withdrawn.Body));
        Assert.Equal(0, await AttemptsAsync(stuck));
        // Both restriction notices are superseded, unconfirmed; the one delivered keeps its delivery as it was.
        var notices = await fixture.InDisclosureLogAsync(db => db.RestrictionNotifications.AsNoTracking()
            .Where(n => n.RequestId == requestId && n.Kind == RecipientNoticeKinds.Restriction).ToListAsync());
        Assert.All(notices, n => Assert.Equal((true, (DateTimeOffset?)null), (n.SupersededAt is not null, n.ConfirmedAt)));
        var kept = await fixture.InDisclosureLogAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == delivered));
        Assert.Equal((true, false), (kept.DeliveredAt is not null, kept.GaveUpAt is not null));
    }

    private Task<RestrictionLiftingOutcome> LiftAsync(Guid requestId) => fixture.InDisclosureLogAsync(async db =>
    {
        var outcome = await RestrictionNotices.LiftAsync(db, new EventOutbox<DisclosureLogContext>(db, TimeProvider.System), requestId,
            DateTimeOffset.UtcNow.ToMicroseconds(), TimeSpan.FromDays(7), WebhookFixture.Schemas, default);
        await db.SaveChangesAsync();
        return outcome;
    });

    private Task<Guid> NotifyOfErasureAsync(Guid requestId, Guid subject, DateTimeOffset sentAt) => fixture.InDisclosureLogAsync(async db =>
    {
        var outbox = new EventOutbox<DisclosureLogContext>(db, TimeProvider.System);
        await NotifyRecipientsOfErasure.NotifyAsync(db, outbox, new ErasureScopeResolved(requestId, [subject], [], []), sentAt, TimeSpan.FromDays(7), WebhookFixture.Schemas, default);
        await db.SaveChangesAsync();
        return await db.ErasureNotifications.Where(n => n.RequestId == requestId).Select(n => n.Id).SingleAsync();
    });

    /// <summary>Records a disclosure and its webhook delivery in one transaction, as <c>POST /api/disclosures</c> does.</summary>
    private Task<Guid> DiscloseAsync(string recipientSlug, Guid subject, DateTimeOffset? at = null) => fixture.InDisclosureLogAsync(async db =>
    {
        var recipient = await db.Recipients.AsNoTracking().SingleAsync(r => r.Slug == recipientSlug);
        var now = at ?? DateTimeOffset.UtcNow.ToMicroseconds();
        var disclosure = new Disclosure
        {
            Id = Guid.CreateVersion7(),
            Recipient = recipientSlug,
            SubjectId = subject,
            Categories = ["basic-data"],
            LegalBasis = "contract",
            DisclosedAt = now,
        };
        db.Disclosures.Add(disclosure);
        new EventOutbox<DisclosureLogContext>(db, TimeProvider.System).SendTo(db, recipient, new DataDisclosed(
            disclosure.Id, recipientSlug, subject, new SubjectKeys(Email: subject.ToString("N")[..8] + "@example.fi"), disclosure.Categories, disclosure.LegalBasis), now, WebhookFixture.Schemas);
        await db.SaveChangesAsync();
        return disclosure.Id;
    });

    private Task<int> AttemptsAsync(Guid deliveryId) =>
        fixture.InDisclosureLogAsync(db => db.WebhookDeliveryAttempts.CountAsync(a => a.DeliveryId == deliveryId));

    private Task<bool> DeliveredAsync(Guid deliveryId) =>
        fixture.InDisclosureLogAsync(db => db.WebhookDeliveries.AnyAsync(d => d.Id == deliveryId && d.DeliveredAt != null));

    private static string TypeOf(ReceivedWebhook webhook)
    {
        using var json = JsonDocument.Parse(webhook.Body);
        return json.RootElement.GetProperty("type").GetString()!;
    }
}
