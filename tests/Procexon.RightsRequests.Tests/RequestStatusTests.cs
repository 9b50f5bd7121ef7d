using Procexon.Contracts;
using Procexon.RightsRequests.Apis;
using Procexon.RightsRequests.Model;
using static Procexon.RightsRequests.Tests.Requests;

namespace Procexon.RightsRequests.Tests;

[Trait("Category", "Unit")]
public sealed class RequestStatusTests
{
    [Fact]
    public void Unverified_request_shows_no_verification_and_no_fan_out()
    {
        var dto = RequestStatusDto.From(Erasure(), ReceivedAt);

        Assert.Equal("awaiting-verification", dto.Status);
        Assert.Null(dto.Verification);
        Assert.Empty(dto.Registers);
        Assert.Empty(dto.Recipients);
        Assert.Equal(new DateOnly(2026, 4, 2), dto.DueOn);
    }

    [Fact]
    public void Verified_request_shows_how_and_by_whom_in_kebab_case()
    {
        var dto = RequestStatusDto.From(VerifiedErasure(), VerifiedAt);

        Assert.Equal("in-progress", dto.Status);
        Assert.Equal(("staff-id-document", "Anna Asiakaspalvelu", VerifiedAt), (dto.Verification?.Method, dto.Verification?.VerifiedBy, dto.Verification?.VerifiedAt));
        Assert.Equal(["email", "phone", "hetu", "customerNumber"], dto.Verification?.Identifiers);
    }

    [Fact]
    public void Registers_that_have_not_answered_show_as_pending_beside_the_answers()
    {
        var request = VerifiedErasure();
        request.RecordScope([Customers, Accounting], [Suppliers], VerifiedAt);
        request.RecordRegisterAnswer(Answer(request, Accounting, ErasureOutcomes.RetainedUnderLaw, 1,
            [new RetainedData(Guid.CreateVersion7(), "accounting-material", "accounting-vouchers", AccountingAct, new DateOnly(2031, 12, 31), 3)]));

        var dto = RequestStatusDto.From(request, VerifiedAt);

        Assert.Equal(["accounting-payroll", "customers", "suppliers"], dto.Registers.Select(r => r.Register));
        Assert.Equal(["retained-under-law", "pending", "not-held"], dto.Registers.Select(r => r.Outcome));
        var retained = Assert.Single(dto.Registers[0].Retained);
        Assert.Equal(new RetainedDto("accounting-material", "accounting-vouchers", AccountingAct, new DateOnly(2031, 12, 31), 3), retained);
        Assert.Null(dto.CompletedAt);
    }

    [Fact]
    public void Register_answer_counts_records_affected_for_every_right_and_records_erased_only_for_an_erasure()
    {
        var erasure = VerifiedErasure();
        erasure.RecordRegisterAnswer(Answer(erasure, Customers, ErasureOutcomes.Erased, 3));
        var rectification = new RightsRequest
        {
            Id = Guid.CreateVersion7(),
            Type = RequestType.Rectification,
            Status = RequestStatus.AwaitingVerification,
            Channel = "letter",
            ReceivedAt = ReceivedAt,
            DueOn = AnswerPeriod.DueOn(ReceivedAt),
            Subject = erasure.Subject,
        };
        rectification.RecordRegisterAnswer(Answer(rectification, Customers, RightOutcomes.Rectified, 2));

        var erased = Assert.Single(RequestStatusDto.From(erasure, VerifiedAt).Registers);
        var corrected = Assert.Single(RequestStatusDto.From(rectification, VerifiedAt).Registers);

        Assert.Equal((3, 3), (erased.RecordsAffected, erased.RecordsErased));
        Assert.Equal(2, corrected.RecordsAffected);
        Assert.Null(corrected.RecordsErased);
    }

    [Fact]
    public void Request_shows_its_particulars_the_corrected_fields_by_name_and_an_objections_decision()
    {
        var rectification = Typed(RequestType.Rectification);
        rectification.GiveParticulars([new FieldCorrection("email", "uusi@example.fi"), new FieldCorrection("address", "Uusitie 2")], null);
        var objection = Typed(RequestType.Objection);
        objection.GiveParticulars(null, ObjectionGrounds.LegitimateInterest);
        objection.Decide(upheld: true, "Ei pakottavia perusteita", "Tiina Tietosuoja", VerifiedAt);

        var corrected = RequestStatusDto.From(rectification, VerifiedAt);
        var decided = RequestStatusDto.From(objection, VerifiedAt);
        var erasure = RequestStatusDto.From(Erasure(), VerifiedAt);

        // The values stay in the service: a corrected e-mail address is personal data.
        Assert.Equal(["email", "address"], corrected.CorrectedFields);
        Assert.Null(corrected.Objection);
        Assert.Equal("legitimate-interest", decided.Objection);
        Assert.Equal(new DecisionDto(true, "Ei pakottavia perusteita", "Tiina Tietosuoja", VerifiedAt), decided.Decision);
        Assert.Null(decided.CorrectedFields);
        Assert.Null(erasure.CorrectedFields);
        Assert.Null(erasure.Decision);
        Assert.Null(erasure.RightRequestedAt);
    }

    private static RightsRequest Typed(RequestType type) => new()
    {
        Id = Guid.CreateVersion7(),
        Type = type,
        Status = RequestStatus.AwaitingVerification,
        Channel = "letter",
        ReceivedAt = ReceivedAt,
        DueOn = AnswerPeriod.DueOn(ReceivedAt),
        Subject = Erasure().Subject,
    };
}
