using Procexon.DisclosureLog.Apis;

namespace Procexon.DisclosureLog.Tests;

[Trait("Category", "Unit")]
public sealed class DisclosureValidationTests
{
    private static readonly string[] s_recipients = ["staff", "accounting-firm", "finago"];

    [Fact]
    public void Disclosure_with_every_field_wrong_names_each_field()
    {
        var errors = new Dictionary<string, string[]>();

        var valid = new RecordDisclosureBody("tax-office", Guid.Empty.ToString(), ["basic-data", "shoe-size"], "vital-interest",
            new DisclosedSubjectInput(Email: "not-an-address", Phone: "12", CustomerNumber: "no spaces", BusinessId: "0737546-1")).Validate(s_recipients, errors);

        Assert.Null(valid);
        Assert.Equal(
            ["categories", "legalBasis", "recipientId", "subject.businessId", "subject.customerNumber", "subject.email", "subject.phone", "subjectId"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("shoe-size", errors["categories"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Disclosure_without_its_required_fields_names_each_of_them()
    {
        var errors = new Dictionary<string, string[]>();

        var valid = new RecordDisclosureBody(null, null, [], null, null).Validate(s_recipients, errors);

        Assert.Null(valid);
        Assert.Equal(["categories", "legalBasis", "recipientId", "subjectId"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Personal_identity_code_is_refused_and_never_repeated()
    {
        var errors = new Dictionary<string, string[]>();

        var valid = new RecordDisclosureBody("finago", Guid.NewGuid().ToString(), ["payroll"], "law",
            new DisclosedSubjectInput(Email: "a@example.fi", Hetu: "131052-308T")).Validate(s_recipients, errors);

        Assert.Null(valid);
        Assert.Equal(["subject.hetu"], errors.Keys);
        Assert.DoesNotContain("131052", errors["subject.hetu"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_disclosure_is_normalised_and_its_subject_keys_are_optional()
    {
        var subjectId = Guid.NewGuid();
        var errors = new Dictionary<string, string[]>();

        var valid = new RecordDisclosureBody(" accounting-firm ", subjectId.ToString(), ["payroll", "payroll", "basic-data"], "legitimate-interest",
            new DisclosedSubjectInput(Email: " Maija@Example.FI ", Phone: "040 123 4567")).Validate(s_recipients, errors);
        var withoutKeys = new RecordDisclosureBody("staff", subjectId.ToString(), ["basic-data"], "consent", new DisclosedSubjectInput())
            .Validate(s_recipients, errors);

        Assert.Empty(errors);
        Assert.NotNull(valid);
        Assert.Equal("accounting-firm", valid.Recipient);
        Assert.Equal(subjectId, valid.SubjectId);
        Assert.Equal(["payroll", "basic-data"], valid.Categories);
        Assert.Equal("maija@example.fi", valid.Email?.Value);
        Assert.Equal("+358401234567", valid.Phone?.Value);
        Assert.NotNull(withoutKeys);
        Assert.Null(withoutKeys.Email);
    }
}
