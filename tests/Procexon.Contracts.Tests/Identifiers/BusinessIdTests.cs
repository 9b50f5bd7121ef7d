using Procexon.Contracts.Identifiers;

namespace Procexon.Contracts.Tests.Identifiers;

[Trait("Category", "Unit")]
public sealed class BusinessIdTests
{
    [Theory]
    [InlineData("1572860-0")]
    [InlineData("0000001-9")]
    [InlineData("0737546-2")]
    public void Business_id_with_matching_check_digit_is_valid(string id)
    {
        Assert.True(BusinessId.TryParse(id, out var businessId, out var error), error);
        Assert.Equal(id, businessId.Value);
    }

    [Theory]
    [InlineData("0737546-1")]
    [InlineData("1572860-1")]
    [InlineData("0000001-8")]
    public void Business_id_with_wrong_check_digit_is_rejected(string id)
    {
        Assert.False(BusinessId.TryParse(id, out var businessId, out var error));
        Assert.Null(businessId);
        Assert.Equal("the check digit does not match", error);
    }

    [Theory]
    [InlineData("0000006-0")]
    [InlineData("0000006-1")]
    [InlineData("0000006-5")]
    [InlineData("0000006-9")]
    public void Digits_whose_weighted_sum_leaves_remainder_1_are_never_a_business_id(string id)
    {
        Assert.False(BusinessId.TryParse(id, out _, out var error));
        Assert.Equal("the seven digits give remainder 1, which no business ID can have", error);
    }

    [Theory]
    [InlineData("15728600")]
    [InlineData("1572860-")]
    [InlineData("157286-0")]
    [InlineData("1572860_0")]
    [InlineData("A572860-0")]
    [InlineData("1572860-X")]
    [InlineData("01572860-0")]
    [InlineData("FI15728600")]
    public void Business_id_not_of_the_form_NNNNNNN_C_is_rejected(string id)
    {
        Assert.False(BusinessId.TryParse(id, out _, out var error));
        Assert.Equal("a business ID has the form NNNNNNN-C: seven digits, a hyphen and a check digit", error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Missing_business_id_is_rejected(string? id)
    {
        Assert.False(BusinessId.TryParse(id, out _, out var error));
        Assert.Equal("a business ID is required", error);
    }

    [Fact]
    public void Surrounding_spaces_are_trimmed_and_equal_ids_are_equal()
    {
        Assert.Equal(BusinessId.Parse("1572860-0"), BusinessId.Parse("  1572860-0 "));
        Assert.NotEqual(BusinessId.Parse("1572860-0"), BusinessId.Parse("0000001-9"));
    }

    [Fact]
    public void Business_id_is_not_personal_data_and_prints_itself()
    {
        Assert.Equal("1572860-0", BusinessId.Parse("1572860-0").ToString());
    }

    [Fact]
    public void Parse_throws_FormatException_with_the_reason()
    {
        var exception = Assert.Throws<FormatException>(() => BusinessId.Parse("0737546-1"));

        Assert.Equal("the check digit does not match", exception.Message);
    }
}
