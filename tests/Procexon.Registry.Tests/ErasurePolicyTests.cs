using Procexon.Contracts;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests;

[Trait("Category", "Unit")]
public sealed class ErasurePolicyTests
{
    private static readonly Guid s_subject = Guid.NewGuid();

    [Fact]
    public void Erasure_in_accounting_register_is_retained_under_accounting_act_until_six_years_after_the_year_end()
    {
        var invoice = Record("accounting-payroll", "accounting-material", new DateOnly(2025, 3, 10));

        var plan = ErasurePolicy.Plan("accounting-payroll", [invoice]);

        Assert.Equal(ErasureOutcomes.RetainedUnderLaw, plan.Outcome);
        var decision = Assert.Single(plan.Decisions);
        Assert.Equal(RecordFate.Retain, decision.Fate);
        Assert.Equal("accounting-vouchers", decision.RetentionRule);
        Assert.Equal(new DateOnly(2031, 12, 31), decision.Until);
        Assert.Contains("1336/1997", decision.Statute!.En, StringComparison.Ordinal);
        Assert.Contains("Kirjanpitolaki", decision.Statute.Fi, StringComparison.Ordinal);
        Assert.Equal(0, plan.Erased);
    }

    [Fact]
    public void Customer_due_diligence_is_kept_five_years_after_the_relationship_ended()
    {
        var dueDiligence = Record("accounting-payroll", "customer-contract", new DateOnly(2020, 1, 15),
            ("kind", "due-diligence"), ("relationshipEnded", "2026-06-30"));

        var decision = Assert.Single(ErasurePolicy.Plan("accounting-payroll", [dueDiligence]).Decisions);

        Assert.Equal("aml-customer-due-diligence", decision.RetentionRule);
        Assert.Equal(new DateOnly(2031, 6, 30), decision.Until);
    }

    [Fact]
    public void Employee_erasure_keeps_what_the_law_requires_and_erases_the_rest()
    {
        var records = new[]
        {
            Record("employees", "basic-data", new DateOnly(2024, 1, 1)),
            Record("employees", "credentials", new DateOnly(2024, 1, 1)),
            Record("employees", "payroll", new DateOnly(2025, 5, 31)),
            Record("employees", "employment", new DateOnly(2019, 8, 1), ("employmentEnded", "2025-12-31")),
            Record("employees", "employment", new DateOnly(2025, 1, 1), ("kind", "working-time"), ("employmentEnded", "2025-12-31")),
            Record("employees", "employment", new DateOnly(2025, 1, 1), ("kind", "annual-holiday"), ("employmentEnded", "2025-12-31")),
        };

        var plan = ErasurePolicy.Plan("employees", records);

        Assert.Equal(ErasureOutcomes.RetainedUnderLaw, plan.Outcome);
        Assert.Equal(2, plan.Erased);
        var kept = plan.Decisions.Where(d => d.Fate == RecordFate.Retain).ToDictionary(d => d.RetentionRule!, d => d.Until);
        Assert.Equal(new DateOnly(2031, 12, 31), kept["payroll-vouchers"]);
        Assert.Equal(new DateOnly(2035, 12, 31), kept["employment-certificate"]);
        Assert.Equal(new DateOnly(2027, 12, 31), kept["working-time-records"]);
        Assert.Equal(new DateOnly(2027, 12, 31), kept["annual-holiday-records"]);
    }

    [Fact]
    public void Backups_are_put_beyond_use_until_they_rotate_out_and_the_subject_is_told()
    {
        var backup = Record("backups", "backup-copies", new DateOnly(2026, 11, 1));

        var plan = ErasurePolicy.Plan("backups", [backup]);

        Assert.Equal(ErasureOutcomes.BeyondUse, plan.Outcome);
        var decision = Assert.Single(plan.Decisions);
        Assert.Equal(RecordFate.BeyondUse, decision.Fate);
        Assert.Equal(new DateOnly(2027, 1, 30), decision.Until);
        Assert.Contains("30.1.2027", plan.Note!.Fi, StringComparison.Ordinal);
        Assert.Contains("30 January 2027", plan.Note.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Marketing_erasure_erases_everything_and_keeps_a_suppression_entry()
    {
        var plan = ErasurePolicy.Plan("marketing",
        [
            Record("marketing", "direct-marketing", new DateOnly(2026, 1, 1)),
            Record("marketing", "basic-data", new DateOnly(2026, 1, 1)),
        ]);

        Assert.Equal(ErasureOutcomes.Erased, plan.Outcome);
        Assert.Equal(2, plan.Erased);
        Assert.True(plan.KeepSuppressionEntry);
        Assert.Contains("21", plan.Note!.En, StringComparison.Ordinal);
    }

    [Fact]
    public void Email_archive_keeps_messages_that_are_accounting_material_and_erases_the_rest()
    {
        var plan = ErasurePolicy.Plan("email-archive",
        [
            Record("email-archive", "correspondence", new DateOnly(2026, 2, 1)),
            Record("email-archive", "accounting-material", new DateOnly(2026, 2, 1)),
        ]);

        Assert.Equal(ErasureOutcomes.RetainedUnderLaw, plan.Outcome);
        Assert.Equal(1, plan.Erased);
        Assert.Equal(new DateOnly(2032, 12, 31), plan.Decisions.Single(d => d.Fate == RecordFate.Retain).Until);
    }

    [Theory]
    [InlineData("customers")]
    [InlineData("suppliers")]
    [InlineData("stakeholders")]
    [InlineData("web-users")]
    [InlineData("contacts")]
    public void Ordinary_registers_erase_everything(string register)
    {
        var plan = ErasurePolicy.Plan(register, [Record(register, "basic-data", new DateOnly(2026, 1, 1))]);

        Assert.Equal(ErasureOutcomes.Erased, plan.Outcome);
        Assert.All(plan.Decisions, d => Assert.Equal(RecordFate.Erase, d.Fate));
        Assert.False(plan.KeepSuppressionEntry);
    }

    [Fact]
    public void Register_without_the_subject_answers_not_held()
    {
        Assert.Equal(ErasureOutcomes.NotHeld, ErasurePolicy.Plan("customers", []).Outcome);
    }

    [Fact]
    public void A_legal_hold_keeps_what_the_email_archive_would_erase_and_leaves_the_statute_its_accounting_material()
    {
        var message = Record("email-archive", "correspondence", new DateOnly(2025, 3, 10));
        var invoice = Record("email-archive", "accounting-material", new DateOnly(2025, 3, 10));
        var hold = Hold(register: "email-archive");

        var plan = ErasurePolicy.Plan("email-archive", [message, invoice], [hold]);

        Assert.Equal(ErasureOutcomes.RetainedUnderLegalHold, plan.Outcome);
        Assert.Equal(0, plan.Erased);
        var held = Assert.Single(plan.Decisions, d => d.Fate == RecordFate.LegalHold);
        Assert.Same(message, held.Record);
        Assert.Equal(hold.HoldId, held.Hold!.HoldId);
        var statutory = Assert.Single(plan.Decisions, d => d.Fate == RecordFate.Retain);
        Assert.Equal("email-archive", statutory.RetentionRule);
        Assert.Null(statutory.Hold);
    }

    [Fact]
    public void A_hold_of_another_register_another_subject_or_lifted_keeps_nothing()
    {
        var record = Record("customers", "basic-data", new DateOnly(2025, 3, 10));
        LegalHoldInForce[] holds =
        [
            Hold(register: "email-archive"),
            Hold(register: null, subjectId: Guid.NewGuid()),
            Hold(register: "customers", liftedAt: DateTimeOffset.UnixEpoch.AddDays(1)),
        ];

        var plan = ErasurePolicy.Plan("customers", [record], holds);

        Assert.Equal(ErasureOutcomes.Erased, plan.Outcome);
        Assert.Equal(RecordFate.Erase, Assert.Single(plan.Decisions).Fate);
    }

    [Fact]
    public void Of_two_holds_covering_a_record_the_earliest_placed_keeps_it_and_a_backup_still_goes_with_its_rotation()
    {
        var earlier = Hold(register: null, placedAt: DateTimeOffset.UnixEpoch);
        var later = Hold(register: "marketing", placedAt: DateTimeOffset.UnixEpoch.AddDays(1));

        var marketing = ErasurePolicy.Plan("marketing", [Record("marketing", "direct-marketing", new DateOnly(2025, 3, 10))], [later, earlier]);
        var backups = ErasurePolicy.Plan("backups", [Record("backups", "backup-copies", new DateOnly(2025, 3, 10))], [earlier]);

        Assert.Equal(earlier.HoldId, Assert.Single(marketing.Decisions).Hold!.HoldId);
        // The suppression note would say only a hash stays; the answer lists what the hold keeps instead.
        Assert.Null(marketing.Note);
        Assert.Equal(ErasureOutcomes.BeyondUse, backups.Outcome);
    }

    private static LegalHoldInForce Hold(string? register, Guid? subjectId = null, DateTimeOffset? placedAt = null, DateTimeOffset? liftedAt = null) => new()
    {
        HoldId = Guid.NewGuid(),
        SubjectId = subjectId ?? s_subject,
        Register = register,
        Basis = LegalHoldBases.LegalClaims,
        PlacedAt = placedAt ?? DateTimeOffset.UnixEpoch,
        LiftedAt = liftedAt,
    };

    private static RegisterRecord Record(string register, string category, DateOnly recordedOn, params (string Key, string Value)[] fields) => new()
    {
        Id = Guid.NewGuid(),
        SubjectId = s_subject,
        Register = register,
        Category = category,
        Fields = fields.ToDictionary(f => f.Key, f => f.Value),
        RecordedOn = recordedOn,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
