using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.DisclosureLog.Model;

namespace Procexon.DisclosureLog.Tests;

/// <summary>A recipient without an automated channel confirms a rectification through staff, as it does an erasure.</summary>
[Collection(DisclosureLogCollection.Name)]
public sealed class RectificationStaffConfirmationTests(DisclosureLogFixture fixture)
{
    [Fact]
    public async Task Staff_confirmation_of_a_notice_to_finago_is_announced_once_as_the_caller_and_a_second_one_is_a_conflict()
    {
        var (requestId, notice) = await NotifyFinagoAsync();
        var body = new ConfirmNoticeBody("Finago corrected the address, by phone");

        var first = await ConfirmAsync(notice.Id, body);
        var second = await ConfirmAsync(notice.Id, body);
        var unknown = await ConfirmAsync(Guid.NewGuid(), body);
        // Finago's own word arriving later changes nothing and announces nothing.
        await fixture.ConfirmAsAsync("finago", new ProcessorConfirmedRectification(notice.Id, requestId, "finago", fixture.Clock.GetUtcNow(), "Corrected"));

        var confirmed = Assert.IsType<Ok<RectificationNotificationDto>>(first.Result).Value!;
        Assert.Equal(ErasureNotificationStatuses.Confirmed, confirmed.Status);
        Assert.Equal(DisclosureLogFixture.StaffActor, confirmed.ConfirmedBy);
        Assert.Equal("Finago corrected the address, by phone", confirmed.Detail);
        var conflict = Assert.IsType<ProblemHttpResult>(second.Result);
        Assert.Equal(409, conflict.StatusCode);
        Assert.Equal((object?)confirmed.ConfirmedAt, conflict.ProblemDetails.Extensions["confirmedAt"]);
        Assert.Equal(404, Assert.IsType<ProblemHttpResult>(unknown.Result).StatusCode);
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientConfirmedRectification>(e => e.RequestId == requestId).Count == 1),
            "The staff confirmation never reached RightsRequests.");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var announced = Assert.Single(fixture.Captured.Of<RecipientConfirmedRectification>(e => e.RequestId == requestId));
        Assert.Equal(new RecipientConfirmedRectification(requestId, "finago", confirmed.ConfirmedAt!.Value), announced);
        var stored = (await NotificationsOfAsync(requestId)).Single();
        Assert.Equal(DisclosureLogFixture.StaffActor, stored.ConfirmedBy);
    }

    [Fact]
    public async Task Confirmation_with_an_overlong_detail_or_a_list_with_bad_filters_names_the_field_and_confirms_nothing()
    {
        var (requestId, notice) = await NotifyFinagoAsync();

        var overlong = await ConfirmAsync(notice.Id, new ConfirmNoticeBody(new string('x', RecipientNotices.MaxDetailLength + 1)));
        var badFilter = await fixture.InDisclosureLogAsync((db, _) =>
            RectificationNotificationsApi.ListNotifications("not-a-request", "maybe", DisclosureLogFixture.Staff, db, fixture.Clock, default));

        Assert.Equal(["detail"], Assert.IsType<ValidationProblem>(overlong.Result).ProblemDetails.Errors.Keys);
        Assert.Equal(["request", "overdue"], Assert.IsType<ValidationProblem>(badFilter.Result).ProblemDetails.Errors.Keys);
        Assert.Null((await NotificationsOfAsync(requestId)).Single().ConfirmedAt);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(fixture.Captured.Of<RecipientConfirmedRectification>(e => e.RequestId == requestId));
    }

    [Fact]
    public async Task Unconfirmed_notice_past_its_confirm_by_time_is_listed_overdue_and_counted_by_the_gauge()
    {
        var (requestId, notice) = await NotifyFinagoAsync();
        Assert.Equal(ErasureNotificationStatuses.Notified, (await ListAsync(requestId.ToString(), null)).Single().Status);
        Assert.DoesNotContain(await ListAsync(null, "true"), n => n.Id == notice.Id);
        var before = await RefreshGaugesAsync();

        fixture.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        Assert.Equal(ErasureNotificationStatuses.Overdue, (await ListAsync(requestId.ToString(), null)).Single().Status);
        Assert.Contains(await ListAsync(null, "true"), n => n.Id == notice.Id);
        Assert.DoesNotContain(await ListAsync(null, "false"), n => n.Id == notice.Id);
        var after = await RefreshGaugesAsync();
        Assert.True(after.Rectifications > before.Rectifications, $"The overdue count stayed at {after.Rectifications}.");
        // Each DisclosureLog host of the test run (this fixture's, the webhook and e-mail fixtures') publishes the gauge
        // under the same name: this host's is among them, reading its own count.
        Assert.Contains(after.Rectifications, ObserveGauges(OverdueNotices.RectificationGaugeName));

        // Confirmed late, it is no longer overdue.
        Assert.IsType<Ok<RectificationNotificationDto>>((await ConfirmAsync(notice.Id, new ConfirmNoticeBody(null))).Result);
        Assert.DoesNotContain(await ListAsync(null, "true"), n => n.Id == notice.Id);
        Assert.Equal(ErasureNotificationStatuses.Confirmed, (await ListAsync(requestId.ToString(), "false")).Single().Status);
    }

    /// <summary>A subject disclosed only to Finago, which has no automated channel, notified of a rectification.</summary>
    private async Task<(Guid RequestId, RectificationNotification Notice)> NotifyFinagoAsync()
    {
        var subjectId = Guid.NewGuid();
        var disclosed = await fixture.InDisclosureLogAsync((db, outbox) => DisclosuresApi.RecordDisclosure(
            new RecordDisclosureBody("finago", subjectId.ToString(), ["basic-data"], "contract", null), db, outbox, fixture.Schemas, fixture.Clock, default));
        Assert.IsType<Created<DisclosureDto>>(disclosed.Result);
        var requestId = Guid.NewGuid();
        await fixture.Bus.Publish(new SubjectRightScopeResolved(
            requestId, SubjectRights.Rectification, [subjectId], [], [], [],
            [new FieldCorrection("address", "Uusitie 2")], fixture.Clock.GetUtcNow()));
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => fixture.Captured.Of<RecipientsNotified>(e => e.RequestId == requestId).Count > 0),
            "RecipientsNotified was not published.");
        return (requestId, (await NotificationsOfAsync(requestId)).Single());
    }

    private Task<Results<Ok<RectificationNotificationDto>, ValidationProblem, ProblemHttpResult>> ConfirmAsync(Guid id, ConfirmNoticeBody body) =>
        fixture.InDisclosureLogAsync((db, outbox) => RectificationNotificationsApi.ConfirmRectification(id, body, DisclosureLogFixture.Staff, db, outbox, fixture.Clock, default));

    private Task<List<RectificationNotification>> NotificationsOfAsync(Guid requestId) =>
        fixture.InDisclosureLogAsync((db, _) => db.RectificationNotifications.AsNoTracking().Where(n => n.RequestId == requestId).ToListAsync());

    private async Task<List<RectificationNotificationDto>> ListAsync(string? request, string? overdue)
    {
        var result = await fixture.InDisclosureLogAsync((db, _) => RectificationNotificationsApi.ListNotifications(request, overdue, DisclosureLogFixture.Staff, db, fixture.Clock, default));
        return Assert.IsType<Ok<List<RectificationNotificationDto>>>(result.Result).Value!;
    }

    private Task<OverdueCounts> RefreshGaugesAsync() =>
        fixture.DisclosureLog.Services.GetRequiredService<OverdueNoticesMonitor>().RefreshAsync(CancellationToken.None);

    private static List<long> ObserveGauges(string name)
    {
        var observed = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OverdueNotices.MeterName && instrument.Name == name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => observed.Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }
}
