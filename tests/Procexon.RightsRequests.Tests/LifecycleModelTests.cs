using Microsoft.Extensions.Time.Testing;
using Procexon.Contracts;
using Procexon.RightsRequests.Model;
using static Procexon.RightsRequests.Tests.Requests;

namespace Procexon.RightsRequests.Tests;

/// <summary>The request's lifecycle moves and the audit entries they leave, without a database.</summary>
[Trait("Category", "Unit")]
public sealed class LifecycleModelTests
{
    private static readonly VerificationCode s_codes = new(new byte[32]);

    [Fact]
    public void Extension_within_the_first_month_moves_the_due_date_and_leaves_an_entry_with_actor_and_reason()
    {
        var request = Erasure();
        var clock = new FakeTimeProvider(ReceivedAt.AddDays(20));

        Assert.Null(request.Extend(2, "Many registers to search", "Anna Asiakaspalvelu", clock.GetUtcNow()));

        Assert.Equal(new DateOnly(2026, 6, 2), request.DueOn);
        var entry = Assert.Single(request.TakeAuditEntries(RequestStatus.AwaitingVerification, new DateOnly(2026, 4, 2), clock.GetUtcNow()));
        Assert.Equal((AuditAction.Extended, "Anna Asiakaspalvelu", "Many registers to search"), (entry.Action, entry.Actor, entry.Reason));
        Assert.Equal(clock.GetUtcNow(), entry.OccurredAt);
        Assert.Equal("by 2 month(s); due on 2026-06-02", entry.Detail);
    }

    [Fact]
    public void Extension_after_the_first_month_or_a_second_time_is_refused_and_changes_nothing()
    {
        var late = Erasure();
        Assert.Equal("The first month has passed", late.Extend(1, "x", "staff", AnswerPeriod.EndOf(late.DueOn).AddTicks(1))?.Title);
        Assert.Equal(new DateOnly(2026, 4, 2), late.DueOn);
        Assert.Empty(late.PendingAudit);

        var twice = Erasure();
        Assert.Null(twice.Extend(1, "x", "staff", ReceivedAt.AddDays(1)));
        Assert.Equal("The answer period is already extended", twice.Extend(1, "y", "staff", ReceivedAt.AddDays(2))?.Title);
        Assert.Equal(new DateOnly(2026, 5, 2), twice.DueOn);
    }

    [Fact]
    public void Refusal_closes_an_unverified_request_so_it_can_never_be_verified()
    {
        var request = Erasure();

        Assert.Null(request.Refuse("The fifth identical request this month", "Anna", ReceivedAt.AddDays(1)));

        Assert.Equal(RequestStatus.Refused, request.Status);
        Assert.Throws<InvalidOperationException>(() => request.Verify(VerificationMethod.StaffIdDocument, "Anna", ReceivedAt.AddDays(2)));
        Assert.NotNull(request.Extend(1, "x", "Anna", ReceivedAt.AddDays(2)));
    }

    [Fact]
    public void A_verified_request_is_not_refused_because_it_already_executes()
    {
        var request = VerifiedErasure();

        Assert.Equal("The request cannot be refused now", request.Refuse("excessive", "Anna", VerifiedAt)?.Title);
        Assert.Equal(RequestStatus.InProgress, request.Status);
    }

    [Fact]
    public void Verification_and_completion_made_by_other_code_are_audited_from_the_status_change()
    {
        var request = Erasure();
        request.Verify(VerificationMethod.StaffIdDocument, "Anna Asiakaspalvelu", VerifiedAt);
        var verified = Assert.Single(request.TakeAuditEntries(RequestStatus.AwaitingVerification, request.DueOn, VerifiedAt.AddHours(1)));
        request.RecordScope([], [Customers], VerifiedAt);
        request.RecordNotifiedRecipients([], VerifiedAt);
        Assert.True(request.TryComplete(VerifiedAt.AddMinutes(3)));
        var completed = Assert.Single(request.TakeAuditEntries(RequestStatus.InProgress, request.DueOn, VerifiedAt.AddHours(1)));

        Assert.Equal((AuditAction.Verified, "Anna Asiakaspalvelu", "identity verified: staff-id-document", VerifiedAt),
            (verified.Action, verified.Actor, verified.Reason, verified.OccurredAt));
        Assert.Equal((RequestStatus.AwaitingVerification, RequestStatus.InProgress), (verified.FromStatus, verified.ToStatus));
        Assert.Equal((AuditAction.Completed, AuditActors.System, VerifiedAt.AddMinutes(3)), (completed.Action, completed.Actor, completed.OccurredAt));
    }

    [Fact]
    public void Nothing_is_audited_when_nothing_changed()
    {
        var request = VerifiedErasure();

        Assert.Empty(request.TakeAuditEntries(RequestStatus.InProgress, request.DueOn, VerifiedAt));
    }

    [Fact]
    public void A_code_verifies_the_e_mail_only_so_no_other_identifier_the_requester_typed_finds_anyone()
    {
        var request = Erasure();
        Assert.Null(request.IssueVerificationCode(s_codes.Hash(request.Id, "123456"), ReceivedAt));

        Assert.Equal(CodeCheck.Verified, request.CheckVerificationCode("123456", s_codes, ReceivedAt.AddMinutes(1)));

        Assert.Equal(["email"], request.VerifiedIdentifiers);
        Assert.Equal(new SubjectKeys(Email: "maija.mehilainen@example.fi"), request.VerifiedKeys());
        var verified = Assert.Single(request.TakeAuditEntries(RequestStatus.AwaitingVerification, request.DueOn, ReceivedAt.AddMinutes(1)),
            e => e.Action == AuditAction.Verified);
        Assert.Equal("identifiers verified: email", verified.Detail);
    }

    [Fact]
    public void Staff_verify_the_identifiers_they_name_or_every_one_given()
    {
        var named = Erasure();
        named.Verify(VerificationMethod.StaffIdDocument, "Anna", VerifiedAt, ["hetu", "phone"]);
        Assert.Equal(["phone", "hetu"], named.VerifiedIdentifiers);
        Assert.Equal(new SubjectKeys(Phone: "+358401234567", Hetu: "010594Y9032"), named.VerifiedKeys());

        var all = VerifiedErasure();
        Assert.Equal(["email", "phone", "hetu", "customerNumber"], all.VerifiedIdentifiers);
        Assert.Equal(all.Subject.ToKeys(), all.VerifiedKeys());

        Assert.Throws<ArgumentException>(() => Erasure().Verify(VerificationMethod.StaffIdDocument, "Anna", VerifiedAt, ["businessId"]));
    }

    [Fact]
    public void Wrong_codes_use_up_the_attempts_and_then_even_the_right_code_is_refused()
    {
        var request = Erasure();
        var code = "123456";
        Assert.Null(request.IssueVerificationCode(s_codes.Hash(request.Id, code), ReceivedAt));

        for (var attempt = 1; attempt <= VerificationCode.MaxAttempts; attempt++)
        {
            Assert.Equal(CodeCheck.Wrong, request.CheckVerificationCode("654321", s_codes, ReceivedAt.AddMinutes(1)));
        }

        Assert.Equal(CodeCheck.NoAttemptsLeft, request.CheckVerificationCode(code, s_codes, ReceivedAt.AddMinutes(2)));
        Assert.Equal(RequestStatus.AwaitingVerification, request.Status);
    }

    [Fact]
    public void A_code_is_good_for_fifteen_minutes_and_for_its_own_request_only()
    {
        var request = Erasure();
        var other = Erasure();
        Assert.Null(request.IssueVerificationCode(s_codes.Hash(request.Id, "000042"), ReceivedAt));
        Assert.Null(other.IssueVerificationCode(s_codes.Hash(other.Id, "999999"), ReceivedAt));

        Assert.Equal(CodeCheck.Wrong, other.CheckVerificationCode("000042", s_codes, ReceivedAt.AddMinutes(1)));
        Assert.Equal(CodeCheck.Expired, request.CheckVerificationCode("000042", s_codes, ReceivedAt + VerificationCode.Lifetime + TimeSpan.FromTicks(1)));
        Assert.Null(request.IssueVerificationCode(s_codes.Hash(request.Id, "000043"), ReceivedAt.AddMinutes(20)));
        Assert.Equal(CodeCheck.Verified, request.CheckVerificationCode("000043", s_codes, ReceivedAt.AddMinutes(34)));
        Assert.Equal((RequestStatus.InProgress, VerificationMethod.OneTimeCode), (request.Status, request.VerificationMethod));
        Assert.Null(request.VerificationCodeHash);
    }

    [Fact]
    public void The_stored_hash_is_not_the_code_and_depends_on_the_key()
    {
        var id = Guid.CreateVersion7();
        var hash = s_codes.Hash(id, "123456");

        Assert.DoesNotContain("123456", hash, StringComparison.Ordinal);
        Assert.NotEqual(hash, new VerificationCode([.. Enumerable.Repeat((byte)7, 32)]).Hash(id, "123456"));
        Assert.Equal(64, hash.Length);
    }

    [Theory]
    [InlineData("123456", "123456")]
    [InlineData(" 123 456 ", "123456")]
    [InlineData("12345", null)]
    [InlineData("12345a", null)]
    [InlineData("１２３４５６", null)]
    [InlineData(null, null)]
    public void Codes_are_six_ascii_digits(string? typed, string? normalised)
    {
        Assert.Equal(normalised, VerificationCode.Normalise(typed));
    }

    [Fact]
    public void Expiry_closes_only_an_unverified_request()
    {
        var unverified = Erasure();
        var verified = VerifiedErasure();

        Assert.True(unverified.Expire(TimeSpan.FromDays(14), ReceivedAt.AddDays(15)));
        Assert.False(verified.Expire(TimeSpan.FromDays(14), ReceivedAt.AddDays(15)));
        Assert.Equal(RequestStatus.Expired, unverified.Status);
        var entry = Assert.Single(unverified.PendingAudit);
        Assert.Equal((AuditAction.Expired, AuditActors.System, "identity not verified within 14 days"), (entry.Action, entry.Actor, entry.Reason));
    }
}
