using Procexon.Contracts;
using Procexon.RightsRequests.Model;
using static Procexon.RightsRequests.Tests.Requests;

namespace Procexon.RightsRequests.Tests;

[Trait("Category", "Unit")]
public sealed class ErasureProgressTests
{
    private static readonly DateTimeOffset s_now = VerifiedAt.AddHours(1);
    private static readonly DateTimeOffset s_confirmBy = VerifiedAt.AddDays(14);

    [Fact]
    public void Verification_puts_the_request_in_progress_and_records_who_verified_it_and_how()
    {
        var request = Erasure();

        request.Verify(VerificationMethod.SignedLetter, "Anna Asiakaspalvelu", VerifiedAt);

        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.Equal(VerificationMethod.SignedLetter, request.VerificationMethod);
        Assert.Equal("Anna Asiakaspalvelu", request.VerifiedBy);
        Assert.Equal(VerifiedAt, request.VerifiedAt);
    }

    [Fact]
    public void Request_cannot_be_verified_twice()
    {
        var request = VerifiedErasure();

        Assert.Throws<InvalidOperationException>(() => request.Verify(VerificationMethod.StaffInPerson, "Someone Else", s_now));
        Assert.Equal("Anna Asiakaspalvelu", request.VerifiedBy);
    }

    [Theory]
    [InlineData("staff-in-person", VerificationMethod.StaffInPerson)]
    [InlineData("staff-id-document", VerificationMethod.StaffIdDocument)]
    [InlineData("Staff-Known-Contact", VerificationMethod.StaffKnownContact)]
    [InlineData(" signed-letter ", VerificationMethod.SignedLetter)]
    public void Verification_methods_are_spelled_in_kebab_case(string text, VerificationMethod method)
    {
        Assert.Equal(method, RequestText.Parse<VerificationMethod>(text));
    }

    [Theory]
    [InlineData("hetu")]
    [InlineData("staff_in_person")]
    [InlineData("")]
    public void Unknown_verification_method_is_not_parsed(string text)
    {
        Assert.Null(RequestText.Parse<VerificationMethod>(text));
    }

    [Fact]
    public void Request_completes_when_every_register_answered_and_every_recipient_confirmed()
    {
        var request = VerifiedErasure();
        request.RecordScope([Customers, Accounting], [Suppliers], s_now);
        request.RecordNotifiedRecipients([Recipient("accounting-firm", "Tilitoimisto", "Accounting firm", s_confirmBy)], s_now);
        request.RecordRegisterAnswer(Answer(request, Customers, ErasureOutcomes.Erased, 4));
        Assert.False(request.TryComplete(s_now));

        request.RecordRegisterAnswer(Answer(request, Accounting, ErasureOutcomes.RetainedUnderLaw, 0));
        Assert.False(ErasureProgress.IsComplete(request));

        request.RecordRecipientConfirmation("accounting-firm", s_now);

        Assert.True(ErasureProgress.IsComplete(request));
        Assert.True(request.TryComplete(s_now));
        Assert.Equal(RequestStatus.Completed, request.Status);
        Assert.Equal(s_now, request.CompletedAt);
    }

    [Fact]
    public void Request_completes_only_once()
    {
        var request = VerifiedErasure();
        request.RecordScope([], [Customers], s_now);
        request.RecordNotifiedRecipients([], s_now);
        Assert.True(request.TryComplete(s_now));

        request.RecordRegisterAnswer(Answer(request, Customers, ErasureOutcomes.NotHeld, 0));

        Assert.False(request.TryComplete(s_now.AddMinutes(1)));
        Assert.Equal(s_now, request.CompletedAt);
    }

    [Fact]
    public void Request_is_not_complete_before_the_scope_is_known_even_if_every_register_so_far_answered()
    {
        var request = VerifiedErasure();
        request.RecordRegisterAnswer(Answer(request, Customers, ErasureOutcomes.Erased, 2));
        request.RecordNotifiedRecipients([], s_now);

        Assert.False(ErasureProgress.IsComplete(request));
        Assert.Contains(ErasureProgress.Awaiting(request), a => a.Contains("scope", StringComparison.Ordinal));
    }

    [Fact]
    public void Request_is_not_complete_before_the_disclosure_log_reports_its_recipients()
    {
        var request = VerifiedErasure();
        request.RecordScope([Customers], [], s_now);
        request.RecordRegisterAnswer(Answer(request, Customers, ErasureOutcomes.Erased, 2));

        Assert.False(ErasureProgress.IsComplete(request));
        Assert.Equal(["the disclosure log's list of notified recipients"], ErasureProgress.Awaiting(request));
    }

    [Fact]
    public void Empty_recipient_list_means_nobody_to_wait_for()
    {
        var request = VerifiedErasure();
        request.RecordScope([Customers], [], s_now);
        request.RecordRegisterAnswer(Answer(request, Customers, ErasureOutcomes.Erased, 2));

        request.RecordNotifiedRecipients([], s_now);

        Assert.NotNull(request.RecipientsResolvedAt);
        Assert.True(request.TryComplete(s_now));
    }

    [Fact]
    public void Registers_in_scope_are_pending_and_registers_not_holding_the_subject_are_answered_at_once()
    {
        var request = VerifiedErasure();

        request.RecordScope([Customers, Marketing], [Suppliers, Employees], s_now);

        Assert.Equal(s_now, request.ScopeResolvedAt);
        Assert.Equal(4, request.Registers.Count);
        Assert.All(request.Registers.Where(r => r.Register is "customers" or "marketing"), r => Assert.Equal("pending", ErasureProgress.OutcomeOf(r)));
        Assert.All(request.Registers.Where(r => r.Register is "suppliers" or "employees"), r =>
        {
            Assert.Equal(ErasureOutcomes.NotHeld, r.Outcome);
            Assert.Equal(s_now, r.AnsweredAt);
        });
        Assert.Equal(["answers from registers: customers, marketing", "the disclosure log's list of notified recipients"], ErasureProgress.Awaiting(request));
    }

    [Fact]
    public void Register_answer_that_overtakes_the_scope_is_kept_when_the_scope_arrives()
    {
        var request = VerifiedErasure();
        var answeredAt = VerifiedAt.AddMinutes(2);
        request.RecordRegisterAnswer(Answer(request, Customers, ErasureOutcomes.Erased, 3, at: answeredAt));

        request.RecordScope([Customers, Marketing], [], s_now);

        var customers = Assert.Single(request.Registers, r => r.Register == "customers");
        Assert.Equal(ErasureOutcomes.Erased, customers.Outcome);
        Assert.Equal(3, customers.RecordsErased);
        Assert.Equal(answeredAt, customers.AnsweredAt);
        Assert.Equal(2, request.Registers.Count);
        Assert.True(Assert.Single(request.Registers, r => r.Register == "marketing").IsPending);
    }

    [Fact]
    public void Register_answer_keeps_what_the_law_retains_with_statute_and_date()
    {
        var request = VerifiedErasure();
        var subjectId = Guid.CreateVersion7();

        request.RecordRegisterAnswer(Answer(request, Accounting, ErasureOutcomes.RetainedUnderLaw, 0,
            [new RetainedData(subjectId, "accounting-material", "accounting-vouchers", AccountingAct, new DateOnly(2031, 12, 31), 3)]));

        var retained = Assert.Single(Assert.Single(request.Registers).Retained);
        Assert.Equal(new RetainedItem(subjectId, "accounting-material", "accounting-vouchers", AccountingAct, new DateOnly(2031, 12, 31), 3), retained);
    }

    [Fact]
    public void Scope_delivered_again_changes_nothing()
    {
        var request = VerifiedErasure();
        request.RecordScope([Customers], [Suppliers], s_now);
        request.RecordRegisterAnswer(Answer(request, Customers, ErasureOutcomes.Erased, 1));

        request.RecordScope([Customers], [Suppliers], s_now.AddMinutes(5));

        Assert.Equal(s_now, request.ScopeResolvedAt);
        Assert.Equal(2, request.Registers.Count);
        Assert.Equal(ErasureOutcomes.Erased, Assert.Single(request.Registers, r => r.Register == "customers").Outcome);
    }

    [Fact]
    public void Confirmation_that_overtakes_the_notification_list_counts_once_the_list_arrives()
    {
        var request = VerifiedErasure();
        request.RecordScope([], [Customers], s_now);
        var confirmedAt = VerifiedAt.AddMinutes(3);
        request.RecordRecipientConfirmation("accounting-firm", confirmedAt);
        Assert.False(request.TryComplete(s_now));

        request.RecordNotifiedRecipients([Recipient("accounting-firm", "Tilitoimisto", "Accounting firm", s_confirmBy)], s_now);

        var notice = Assert.Single(request.Recipients);
        Assert.Equal(confirmedAt, notice.ConfirmedAt);
        Assert.Equal(s_confirmBy, notice.ConfirmBy);
        Assert.Equal("Accounting firm", notice.Name?.En);
        Assert.True(request.TryComplete(s_now));
    }

    [Fact]
    public void Unconfirmed_recipient_keeps_the_request_open()
    {
        var request = VerifiedErasure();
        request.RecordScope([], [Customers], s_now);
        request.RecordNotifiedRecipients(
            [Recipient("accounting-firm", "Tilitoimisto", "Accounting firm", s_confirmBy), Recipient("finago", "Finago", "Finago", s_confirmBy)],
            s_now);
        request.RecordRecipientConfirmation("finago", s_now);

        Assert.False(request.TryComplete(s_now));
        Assert.Equal(["confirmations from recipients: accounting-firm"], ErasureProgress.Awaiting(request));
    }

    [Fact]
    public void Request_awaiting_verification_never_completes()
    {
        var request = Erasure();
        request.RecordScope([], [Customers], s_now);
        request.RecordNotifiedRecipients([], s_now);

        Assert.False(request.TryComplete(s_now));
        Assert.Equal(RequestStatus.AwaitingVerification, request.Status);
        Assert.Equal(["identity verification"], ErasureProgress.Awaiting(request));
    }
}
