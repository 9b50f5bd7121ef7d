using Procexon.Contracts.Identifiers;

namespace Procexon.Contracts.Tests.Identifiers;

[Trait("Category", "Unit")]
public sealed class CustomerNumberTests
{
    [Theory]
    [InlineData("A", "A")]
    [InlineData("CUST-000123", "CUST-000123")]
    [InlineData("  ab-12-CD  ", "ab-12-CD")]
    [InlineData("12345678901234567890123456789012", "12345678901234567890123456789012")]
    public void Letters_digits_and_hyphens_up_to_32_are_accepted_and_trimmed(string input, string expected)
    {
        Assert.True(CustomerNumber.TryParse(input, out var number, out var error), error);
        Assert.Equal(expected, number.Value);
        Assert.Equal(expected, number.ToString());
    }

    [Theory]
    [InlineData(null, "a customer number is required")]
    [InlineData("", "a customer number is required")]
    [InlineData("   ", "a customer number is required")]
    [InlineData("123456789012345678901234567890123", "a customer number has at most 32 characters, not 33")]
    [InlineData("CUST 123", "a customer number contains only letters A–Z, digits and hyphens")]
    [InlineData("CUST_123", "a customer number contains only letters A–Z, digits and hyphens")]
    [InlineData("ÄÖ-1", "a customer number contains only letters A–Z, digits and hyphens")]
    public void Malformed_customer_number_is_rejected_with_the_reason(string? input, string expected)
    {
        Assert.False(CustomerNumber.TryParse(input, out var number, out var error));
        Assert.Null(number);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Parse_throws_FormatException_with_the_reason()
    {
        Assert.Throws<FormatException>(() => CustomerNumber.Parse("CUST 123"));
    }
}
