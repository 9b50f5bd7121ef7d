using Procexon.Contracts;

namespace Procexon.Contracts.Tests;

[Trait("Category", "Unit")]
public sealed class CorrectionsTests
{
    [Fact]
    public void Corrections_are_normalised_by_their_value_types()
    {
        var errors = new Dictionary<string, string[]>();

        var corrections = Corrections.Validate(
            [new CorrectionInput("Email", " Maija@Example.FI "), new CorrectionInput("phone", "040 123 4567"), new CorrectionInput("address", " Uusitie 2 ")],
            "corrections", errors);

        Assert.Empty(errors);
        Assert.Equal(
            [new FieldCorrection("email", "maija@example.fi"), new FieldCorrection("phone", "+358401234567"), new FieldCorrection("address", "Uusitie 2")],
            corrections);
    }

    [Fact]
    public void A_bad_value_is_named_by_its_path_and_never_repeated()
    {
        var errors = new Dictionary<string, string[]>();

        var corrections = Corrections.Validate(
            [new CorrectionInput("name", "Maija"), new CorrectionInput("email", "maija.example.fi"), new CorrectionInput("shoeSize", "42")],
            "corrections", errors);

        Assert.Null(corrections);
        Assert.Equal(["corrections[1].value", "corrections[2].field"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(errors.Values.SelectMany(m => m), m => m.Contains("maija.example.fi", StringComparison.Ordinal));
    }

    [Fact]
    public void No_corrections_or_the_same_field_twice_is_refused()
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(Corrections.Validate([], "corrections", errors));
        Assert.True(errors.ContainsKey("corrections"));

        errors.Clear();
        Assert.Null(Corrections.Validate([new CorrectionInput("name", "A"), new CorrectionInput("name", "B")], "corrections", errors));
        Assert.True(errors.ContainsKey("corrections[1].field"));
    }

    [Theory]
    [InlineData("customers", "customer-contract", true)]
    [InlineData("web-users", "credentials", true)]
    [InlineData("marketing", "consent-data", true)]
    [InlineData("marketing", "direct-marketing", false)]
    [InlineData("web-users", "usage-data", false)]
    [InlineData("accounting-payroll", "basic-data", false)]
    [InlineData("employees", "payroll", false)]
    [InlineData("backups", "backup-copies", false)]
    [InlineData("customers", "no-such-category", false)]
    public void Only_data_under_consent_or_contract_is_portable(string register, string category, bool portable) =>
        Assert.Equal(portable, CategoryLegalBases.IsPortable(CategoryLegalBases.Of(register, category)));
}
