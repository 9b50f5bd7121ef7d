using System.Security.Claims;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.Messaging.Inbox;
using Procexon.Messaging.Outbox;
using Procexon.RightsRequests.Apis;
using Procexon.RightsRequests.Infrastructure;
using Procexon.RightsRequests.Model;
using Procexon.ServiceDefaults.Security;
using Procexon.Testing;
using static Procexon.RightsRequests.Tests.Requests;

namespace Procexon.RightsRequests.Tests;

/// <summary>Each consumer of a right's answers, given the same message twice, changes nothing twice.</summary>
[Collection(RightsRequestsCollection.Name)]
public sealed class RightsConsumerTests(RightsRequestsFixture fixture)
{
    private static readonly TimeSpan s_delivery = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Scope_and_register_answers_delivered_twice_are_recorded_once_and_complete_the_request_once()
    {
        var request = await StartedAsync(RequestType.Access);
        var (scope, answer) = AccessAnsweredByCustomers(request.Id, notHolding: [Marketing]);

        var scopeId = await PublishTwiceAsync(scope);
        var answerId = await PublishTwiceAsync(answer);

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RightsRequestCompleted>().Any(c => c.RequestId == request.Id)));
        await Task.Delay(1000);
        Assert.Single(fixture.Seen.All<RightsRequestCompleted>(), c => c.RequestId == request.Id);
        Assert.Equal(1, await fixture.CountAsync(db => db.Set<RegisterDataCopy>().Where(c => c.RequestId == request.Id)));
        Assert.Equal(1, await InboxRowsAsync(scopeId));
        Assert.Equal(1, await InboxRowsAsync(answerId));
        var stored = await LoadAsync(request.Id);
        Assert.Equal(RequestStatus.Completed, stored.Status);
        Assert.Equal("Aino", Assert.Single(stored.HeldIdentifiers).Name);
        Assert.Equal(
            [("customers", RightOutcomes.Disclosed), ("marketing", RightOutcomes.NotHeld)],
            stored.Registers.OrderBy(r => r.Register, StringComparer.Ordinal).Select(r => (r.Register, r.Outcome!)));
    }

    [Fact]
    public async Task Erasure_notification_carrying_the_scope_and_the_registers_answers_delivered_twice_records_them_once_and_completes_the_request_once()
    {
        // The Registry answers for the registers it erased with the scope itself, and DisclosureLog passes the scope on
        // with the recipients it told: one event, one transaction here.
        var request = await StoredAsync(VerifiedErasure());
        var scope = new ErasureScopeResolved(request.Id, [Guid.NewGuid()], [Customers, Accounting], [Marketing],
            [Answer(request, Customers, ErasureOutcomes.Erased, 3), Answer(request, Accounting, ErasureOutcomes.Erased, 2)]);

        var notifiedId = await PublishTwiceAsync(new RecipientsNotified(request.Id, [], RecipientNoticeKinds.Erasure, scope));

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RightsRequestCompleted>().Any(c => c.RequestId == request.Id)));
        await Task.Delay(1000);
        Assert.Single(fixture.Seen.All<RightsRequestCompleted>(), c => c.RequestId == request.Id);
        Assert.Equal(1, await InboxRowsAsync(notifiedId));
        var stored = await LoadAsync(request.Id);
        Assert.Equal(RequestStatus.Completed, stored.Status);
        Assert.Equal(
            [("accounting-payroll", ErasureOutcomes.Erased, 2), ("customers", ErasureOutcomes.Erased, 3), ("marketing", ErasureOutcomes.NotHeld, 0)],
            stored.Registers.OrderBy(r => r.Register, StringComparer.Ordinal).Select(r => (r.Register, r.Outcome!, r.RecordsErased)));
    }

    [Fact]
    public async Task A_register_answer_that_overtakes_the_erasure_notification_waits_for_it_and_the_request_completes_once_both_are_in()
    {
        // A register erased on its own queue answers in an ErasureCompleted straight from the Registry, which may now
        // arrive before the scope that DisclosureLog passes on: the answer is kept, and the request waits for the scope.
        var request = await StoredAsync(VerifiedErasure());
        await PublishTwiceAsync(new ErasureCompleted(request.Id, [Answer(request, Accounting, ErasureOutcomes.Erased, 2)]));

        Assert.True(await EventuallyAsync(() => LoadAsync(request.Id).Result.Registers.Count == 1));
        Assert.Equal(RequestStatus.InProgress, (await LoadAsync(request.Id)).Status);

        var scope = new ErasureScopeResolved(request.Id, [Guid.NewGuid()], [Customers, Accounting], [],
            [Answer(request, Customers, ErasureOutcomes.Erased, 3)]);
        await PublishTwiceAsync(new RecipientsNotified(request.Id, [], RecipientNoticeKinds.Erasure, scope));

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RightsRequestCompleted>().Any(c => c.RequestId == request.Id)));
        var stored = await LoadAsync(request.Id);
        Assert.Equal(
            [("accounting-payroll", ErasureOutcomes.Erased, 2), ("customers", ErasureOutcomes.Erased, 3)],
            stored.Registers.OrderBy(r => r.Register, StringComparer.Ordinal).Select(r => (r.Register, r.Outcome!, r.RecordsErased)));
    }

    [Fact]
    public async Task Rectification_waits_for_the_recipients_and_a_confirmation_delivered_twice_completes_it_once()
    {
        var request = await StartedAsync(RequestType.Rectification, [new FieldCorrection("address", "Uusitie 2")]);
        await PublishTwiceAsync(new SubjectRightScopeResolved(
            request.Id, SubjectRights.Rectification, [Guid.NewGuid()], [Customers], [], [],
            [new FieldCorrection("address", "Uusitie 2")], VerifiedAt));
        await PublishTwiceAsync(new RegisterRightCompleted(
            request.Id, SubjectRights.Rectification, Customers.Register, Customers.Name, RightOutcomes.Rectified, 1, [], null, null, VerifiedAt));
        await PublishTwiceAsync(new RecipientsNotified(request.Id, [Recipient("accounting-firm", "Tilitoimisto", "Accounting firm", VerifiedAt.AddDays(7))]));

        Assert.True(await EventuallyAsync(() => LoadAsync(request.Id).Result.Recipients.Count == 1));
        Assert.Equal(RequestStatus.InProgress, (await LoadAsync(request.Id)).Status);

        var confirmationId = await PublishTwiceAsync(new RecipientConfirmedRectification(request.Id, "accounting-firm", VerifiedAt.AddHours(1)));

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RightsRequestCompleted>().Any(c => c.RequestId == request.Id)));
        await Task.Delay(1000);
        Assert.Single(fixture.Seen.All<RightsRequestCompleted>(), c => c.RequestId == request.Id);
        Assert.Equal(1, await InboxRowsAsync(confirmationId));
        Assert.Equal(VerifiedAt.AddHours(1), Assert.Single((await LoadAsync(request.Id)).Recipients).ConfirmedAt);
    }

    [Fact]
    public async Task Restriction_lifted_delivered_twice_is_recorded_once()
    {
        var request = await StartedAsync(RequestType.Restriction);
        await PublishTwiceAsync(new SubjectRightScopeResolved(
            request.Id, SubjectRights.Restriction, [Guid.NewGuid()], [Customers], [], [], [], VerifiedAt));
        await PublishTwiceAsync(new RegisterRightCompleted(
            request.Id, SubjectRights.Restriction, Customers.Register, Customers.Name, RightOutcomes.Restricted, 2, [], null, null, VerifiedAt));
        await PublishTwiceAsync(new RecipientsNotified(request.Id, [], RecipientNoticeKinds.Restriction));
        Assert.True(await EventuallyAsync(() => LoadAsync(request.Id).Result.Status == RequestStatus.Completed));
        await fixture.InDatabaseAsync(async db =>
        {
            var stored = await db.Requests.Include(r => r.Registers).SingleAsync(r => r.Id == request.Id);
            stored.LiftRestriction("Accuracy verified", "Mika", VerifiedAt.AddDays(3));
            return await db.SaveChangesAsync();
        });

        var liftedId = await PublishTwiceAsync(new RestrictionLifted(request.Id, ["customers"], 2, VerifiedAt.AddDays(3).AddMinutes(1)));

        Assert.True(await EventuallyAsync(() => LoadAsync(request.Id).Result.Lifting?.LiftedAt is not null));
        await Task.Delay(500);
        Assert.Equal(1, await InboxRowsAsync(liftedId));
        var lifting = (await LoadAsync(request.Id)).Lifting!;
        Assert.Equal(VerifiedAt.AddDays(3).AddMinutes(1), lifting.LiftedAt);
        Assert.Equal(["customers"], lifting.Registers);
        Assert.True(lifting.SubjectToldAt < lifting.LiftedAt);
    }

    [Fact]
    public async Task Restriction_waits_for_its_recipients_and_their_lifting_notices_and_confirmations_are_recorded_once()
    {
        var request = await StartedAsync(RequestType.Restriction);
        await PublishTwiceAsync(new SubjectRightScopeResolved(
            request.Id, SubjectRights.Restriction, [Guid.NewGuid()], [Customers], [], [], [], VerifiedAt));
        await PublishTwiceAsync(new RegisterRightCompleted(
            request.Id, SubjectRights.Restriction, Customers.Register, Customers.Name, RightOutcomes.Restricted, 2, [], null, null, VerifiedAt));
        await PublishTwiceAsync(new RecipientsNotified(request.Id,
            [Recipient("accounting-firm", "Tilitoimisto", "Accounting firm", VerifiedAt.AddDays(7))], RecipientNoticeKinds.Restriction));

        Assert.True(await EventuallyAsync(() => LoadAsync(request.Id).Result.Recipients.Count == 1));
        await Task.Delay(500);
        Assert.Equal(RequestStatus.InProgress, (await LoadAsync(request.Id)).Status);

        var confirmationId = await PublishTwiceAsync(new RecipientConfirmedNotice(request.Id, "accounting-firm", RecipientNoticeKinds.Restriction, VerifiedAt.AddHours(1)));

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RightsRequestCompleted>().Any(c => c.RequestId == request.Id)));
        Assert.Equal(1, await InboxRowsAsync(confirmationId));
        Assert.Equal(VerifiedAt.AddHours(1), Assert.Single((await LoadAsync(request.Id)).Recipients).ConfirmedAt);

        await fixture.InDatabaseAsync(async db =>
        {
            var stored = await db.Requests.Include(r => r.Registers).SingleAsync(r => r.Id == request.Id);
            stored.LiftRestriction("Accuracy verified", "Mika", VerifiedAt.AddDays(3));
            return await db.SaveChangesAsync();
        });
        await PublishTwiceAsync(new RestrictionLifted(request.Id, ["customers"], 2, VerifiedAt.AddDays(3).AddMinutes(1)));
        await PublishTwiceAsync(new RecipientsNotified(request.Id,
            [Recipient("accounting-firm", "Tilitoimisto", "Accounting firm", VerifiedAt.AddDays(10))], RecipientNoticeKinds.RestrictionLifted));
        var liftingConfirmed = await PublishTwiceAsync(new RecipientConfirmedNotice(request.Id, "accounting-firm", RecipientNoticeKinds.RestrictionLifted, VerifiedAt.AddDays(3).AddHours(1)));

        Assert.True(await EventuallyAsync(() => LoadAsync(request.Id).Result.Lifting is { RecipientsNotifiedAt: not null, Recipients: [{ ConfirmedAt: not null }] }));
        await Task.Delay(500);
        Assert.Equal(1, await InboxRowsAsync(liftingConfirmed));
        var stored = await LoadAsync(request.Id);
        // The lifting's notices are the lifting's: the restriction's own row is as it was, and the request stays completed once.
        Assert.Equal(VerifiedAt.AddHours(1), Assert.Single(stored.Recipients).ConfirmedAt);
        Assert.Equal(VerifiedAt.AddDays(3).AddHours(1), Assert.Single(stored.Lifting!.Recipients!).ConfirmedAt);
        Assert.Single(fixture.Seen.All<RightsRequestCompleted>(), c => c.RequestId == request.Id);
        var trail = await fixture.InDatabaseAsync(db => db.Set<RequestAuditEntry>().AsNoTracking().Where(e => e.RequestId == request.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(1, trail.Count(a => a == AuditAction.RecipientsNotified));
        Assert.Equal(1, trail.Count(a => a == AuditAction.RecipientConfirmed));
        Assert.Equal(1, trail.Count(a => a == AuditAction.RestrictionLifted));
    }

    [Fact]
    public async Task An_upheld_objection_waits_for_the_recipients_told_of_its_restriction_and_its_answer_lists_them_confirmed()
    {
        var request = await StartedAsync(RequestType.Objection, upheld: true);
        Assert.Equal(SubjectRights.ObjectionUpheld, request.Right);
        await PublishTwiceAsync(new SubjectRightScopeResolved(
            request.Id, SubjectRights.ObjectionUpheld, [Guid.NewGuid()], [Suppliers], [], [], [], VerifiedAt));
        await PublishTwiceAsync(new RegisterRightCompleted(
            request.Id, SubjectRights.ObjectionUpheld, Suppliers.Register, Suppliers.Name, RightOutcomes.Restricted, 1, [], null, null, VerifiedAt));

        // Every register answered, but the recipients are not yet known: not complete.
        Assert.True(await EventuallyAsync(() => LoadAsync(request.Id).Result.Registers.TrueForAll(r => r.Outcome is not null)));
        await Task.Delay(500);
        Assert.Equal(RequestStatus.InProgress, (await LoadAsync(request.Id)).Status);

        await PublishTwiceAsync(new RecipientsNotified(request.Id,
            [Recipient("accounting-firm", "Tilitoimisto", "Accounting firm", VerifiedAt.AddDays(7))], RecipientNoticeKinds.Restriction));
        Assert.True(await EventuallyAsync(() => LoadAsync(request.Id).Result.Recipients.Count == 1));
        await Task.Delay(500);
        Assert.Equal(RequestStatus.InProgress, (await LoadAsync(request.Id)).Status);
        Assert.Contains("confirmations from recipients: accounting-firm", RightsProgress.Awaiting(await LoadAsync(request.Id)));

        var confirmationId = await PublishTwiceAsync(new RecipientConfirmedNotice(request.Id, "accounting-firm", RecipientNoticeKinds.Restriction, VerifiedAt.AddHours(1)));

        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RightsRequestCompleted>().Any(c => c.RequestId == request.Id)));
        await Task.Delay(500);
        Assert.Single(fixture.Seen.All<RightsRequestCompleted>(), c => c.RequestId == request.Id);
        Assert.Equal(1, await InboxRowsAsync(confirmationId));
        var stored = await LoadAsync(request.Id);
        Assert.Equal(RequestStatus.Completed, stored.Status);
        var status = Assert.Single(RequestStatusDto.From(stored, VerifiedAt.AddHours(2)).Recipients);
        Assert.Equal(("accounting-firm", "confirmed", VerifiedAt.AddHours(1)), (status.Recipient, status.Status, status.ConfirmedAt));
        var answer = RightsAnswerLetter.Compose(stored, [], ErasureAnswerLetter.English);
        Assert.Equal(VerifiedAt.AddHours(1), Assert.Single(answer.Recipients).ConfirmedAt);
        Assert.Contains("We told everyone to whom your data processed under legitimate interest had been disclosed of the restriction (Article 19):",
            answer.Text, StringComparison.Ordinal);
        Assert.Contains("- Accounting firm: confirmed on", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restriction_waiting_on_an_unconfirmed_recipient_is_lifted_completed_once_and_the_late_confirmation_and_the_lifting_are_recorded()
    {
        var request = await StartedAsync(RequestType.Restriction);
        await PublishTwiceAsync(new SubjectRightScopeResolved(
            request.Id, SubjectRights.Restriction, [Guid.NewGuid()], [Customers], [], [], [], VerifiedAt));
        await PublishTwiceAsync(new RegisterRightCompleted(
            request.Id, SubjectRights.Restriction, Customers.Register, Customers.Name, RightOutcomes.Restricted, 2, [], null, null, VerifiedAt));
        await PublishTwiceAsync(new RecipientsNotified(request.Id,
            [Recipient("finago", "Finago", "Finago", VerifiedAt.AddDays(7))], RecipientNoticeKinds.Restriction));
        Assert.True(await EventuallyAsync(() => LoadAsync(request.Id).Result.CanBeLifted));
        Assert.Equal(RequestStatus.InProgress, (await LoadAsync(request.Id)).Status);

        var lifted = await LiftAsync(request.Id);
        var again = await LiftAsync(request.Id);

        var dto = Assert.IsType<Ok<RestrictionLiftingDto>>(lifted.Result).Value!;
        Assert.Equal("The accuracy of the data was verified.", dto.Reason);
        Assert.Equal(409, Assert.IsType<ProblemHttpResult>(again.Result).StatusCode);
        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RightsRequestCompleted>().Any(c => c.RequestId == request.Id)));
        var stored = await LoadAsync(request.Id);
        Assert.Equal(RequestStatus.Completed, stored.Status);
        Assert.Equal("superseded", Assert.Single(RequestStatusDto.From(stored, VerifiedAt.AddDays(1)).Recipients).Status);

        // Finago's late word on the restriction, and the lifting's own news, are recorded; the request completes only once.
        await PublishTwiceAsync(new RecipientConfirmedNotice(request.Id, "finago", RecipientNoticeKinds.Restriction, VerifiedAt.AddDays(2)));
        await PublishTwiceAsync(new RestrictionLifted(request.Id, ["customers"], 2, VerifiedAt.AddDays(2)));
        await PublishTwiceAsync(new RecipientsNotified(request.Id,
            [Recipient("finago", "Finago", "Finago", VerifiedAt.AddDays(9))], RecipientNoticeKinds.RestrictionLifted));
        Assert.True(await EventuallyAsync(() => LoadAsync(request.Id).Result is
        { Lifting: { LiftedAt: not null, Recipients: [{ Recipient: "finago" }] }, Recipients: [{ ConfirmedAt: not null }] }));
        await Task.Delay(1000);
        Assert.Single(fixture.Seen.All<RightsRequestCompleted>(), c => c.RequestId == request.Id);
    }

    [Fact]
    public async Task An_answer_is_claimed_in_the_inbox_only_once_it_holds_the_request_s_row_lock()
    {
        var request = await StartedAsync(RequestType.Access);
        var (scope, answer) = AccessAnsweredByCustomers(request.Id, notHolding: []);
        var scopeId = await PublishTwiceAsync(scope);
        Assert.True(await Eventually.EventuallyAsync(async () => await InboxRowsAsync(scopeId) == 1, s_delivery), "The scope was never recorded.");

        // The test holds the request's row as another batch about it would: the answer's claim waits for it, in the one
        // statement that claims the batch and locks its requests (no lock of its own after the claim). Both copies of the
        // answer may wait, each in a batch of its own.
        var released = false;
        await fixture.InDatabaseAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlAsync($"SELECT id FROM rights_requests WHERE id = {request.Id} FOR UPDATE");
            await PublishTwiceAsync(answer);
            Assert.True(await Eventually.EventuallyAsync(async () => await fixture.InDatabaseAsync(InboxClaims.WaitingOnALockAsync) >= 1, s_delivery),
                "The answer's claim did not wait for the request's row lock.");
            Assert.DoesNotContain(fixture.Seen.All<RightsRequestCompleted>(), c => c.RequestId == request.Id);
            await transaction.RollbackAsync();
            released = true;
            return 0;
        });

        Assert.True(released);
        Assert.True(await EventuallyAsync(() => fixture.Seen.All<RightsRequestCompleted>().Any(c => c.RequestId == request.Id)),
            "The answer was not recorded once the lock was released.");
        Assert.Equal(RequestStatus.Completed, (await LoadAsync(request.Id)).Status);
    }

    /// <summary>An access request's scope (the customer register holds the subject) and the customer register's answer.</summary>
    private static (SubjectRightScopeResolved Scope, RegisterRightCompleted Answer) AccessAnsweredByCustomers(Guid requestId, IReadOnlyList<RegisterName> notHolding) =>
        (new SubjectRightScopeResolved(
            requestId, SubjectRights.Access, [Guid.NewGuid()], [Customers], [.. notHolding],
            [new HeldIdentifiers(Guid.NewGuid(), "Aino", "a@example.fi", null, null, null, null)], [], VerifiedAt),
        new RegisterRightCompleted(
            requestId, SubjectRights.Access, Customers.Register, Customers.Name, RightOutcomes.Disclosed, 1,
            [new HeldRecord(Guid.NewGuid(), Guid.NewGuid(), "basic-data", new("Perustiedot", "Basic data"), "contract", "active",
                new DateOnly(2025, 1, 2), new Dictionary<string, string> { ["title"] = "Ostaja" }, null, null)],
            null, null, VerifiedAt.AddSeconds(1)));

    /// <summary>The privacy officer lifts the restriction through the endpoint's handler, in the service's own scope.</summary>
    private async Task<Results<Ok<RestrictionLiftingDto>, ValidationProblem, ProblemHttpResult>> LiftAsync(Guid id)
    {
        await using var scope = fixture.Service.Services.CreateAsyncScope();
        var services = new RequestServices(
            scope.ServiceProvider.GetRequiredService<RightsRequestsContext>(),
            scope.ServiceProvider.GetRequiredService<IEventOutbox>(),
            scope.ServiceProvider.GetRequiredService<SubjectKeyHasher>(),
            scope.ServiceProvider.GetRequiredService<TimeProvider>());
        var privacyOfficer = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(PlatformClaims.Subject, "tiina"), new Claim(PlatformClaims.Name, "Tiina Tietosuoja")], "test"));
        return await RightsExecutionApi.LiftRestriction(id, new RestrictionLiftingBody("The accuracy of the data was verified."), privacyOfficer, services,
            scope.ServiceProvider.GetRequiredService<RightsRequestsMetrics>(), default);
    }

    private async Task<RightsRequest> StartedAsync(RequestType type, IReadOnlyList<FieldCorrection>? corrections = null, bool? upheld = null)
    {
        var request = new RightsRequest
        {
            Id = Guid.CreateVersion7(),
            Type = type,
            Status = RequestStatus.AwaitingVerification,
            Channel = "letter",
            ReceivedAt = ReceivedAt,
            DueOn = AnswerPeriod.DueOn(ReceivedAt),
            Subject = new SubjectIdentifiers("Aino", "a@example.fi", null, null, null, null),
        };
        if (corrections is not null)
        {
            request.GiveParticulars(corrections, null);
        }

        if (upheld is { } decision)
        {
            request.GiveParticulars(null, ObjectionGrounds.LegitimateInterest);
            request.Decide(decision, "No compelling legitimate grounds.", "Tiina", VerifiedAt);
        }

        request.Verify(VerificationMethod.StaffIdDocument, "Mika", VerifiedAt);
        request.RightRequested(request.RightToExercise()!, VerifiedAt);
        return await StoredAsync(request);
    }

    private async Task<RightsRequest> StoredAsync(RightsRequest request)
    {
        await fixture.InDatabaseAsync(async db =>
        {
            db.Requests.Add(request);
            return await db.SaveChangesAsync();
        });
        return request;
    }

    private Task<RightsRequest> LoadAsync(Guid id) => fixture.InDatabaseAsync(db =>
        db.Requests.AsNoTracking().Include(r => r.Registers).Include(r => r.Recipients).AsSplitQuery().SingleAsync(r => r.Id == id));

    private Task<int> InboxRowsAsync(Guid messageId) => fixture.CountAsync(db => db.Set<InboxMessage>().Where(m => m.MessageId == messageId));

    private async Task<Guid> PublishTwiceAsync<T>(T message) where T : class
    {
        var messageId = Guid.NewGuid();
        var bus = fixture.Probe.Services.GetRequiredService<IBus>();
        await bus.Publish(message, c => c.MessageId = messageId);
        await bus.Publish(message, c => c.MessageId = messageId);
        return messageId;
    }

    private static Task<bool> EventuallyAsync(Func<bool> condition) => Eventually.EventuallyAsync(condition, s_delivery);
}
