using Procexon.Contracts.Identifiers;

namespace Procexon.Contracts.Tests.Identifiers;

[Trait("Category", "Unit")]
public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("040 123 4567")]
    [InlineData("040-1234567")]
    [InlineData("0401234567")]
    [InlineData("040.123.4567")]
    [InlineData("(040) 123 4567")]
    [InlineData("+358 40 1234567")]
    [InlineData("+358401234567")]
    [InlineData("00358401234567")]
    [InlineData("00358 40 123 4567")]
    [InlineData("+358 (0)40 1234567")]
    [InlineData("+358 040 1234567")]
    [InlineData("  +358-40-123-4567  ")]
    public void Finnish_forms_normalise_to_the_same_E164_number(string input)
    {
        Assert.True(PhoneNumber.TryParse(input, out var phone, out var error), error);
        Assert.Equal("+358401234567", phone.Value);
        Assert.Equal(PhoneNumber.Parse("040 123 4567"), phone);
    }

    [Theory]
    [InlineData("09 123 456", "+3589123456")]
    [InlineData("+46 8 123 456 78", "+46812345678")]
    [InlineData("0046 8 123 456 78", "+46812345678")]
    [InlineData("+1 (212) 555-0123", "+12125550123")]
    [InlineData("+44 (0)20 7946 0958", "+442079460958")]
    [InlineData("+39 06 1234 5678", "+390612345678")]
    public void Other_forms_and_countries_keep_their_country_code(string input, string expected)
    {
        Assert.Equal(expected, PhoneNumber.Parse(input).Value);
    }

    [Theory]
    [InlineData(null, "a phone number is required")]
    [InlineData("", "a phone number is required")]
    [InlineData("  ", "a phone number is required")]
    [InlineData("401234567", "a phone number starts with + or 00 and a country code, or with 0 for a Finnish number")]
    [InlineData("040-CALL-ME", "a phone number contains only digits after an initial + (spaces, dashes, dots and parentheses are ignored)")]
    [InlineData("++358401234567", "a phone number contains only digits after an initial + (spaces, dashes, dots and parentheses are ignored)")]
    [InlineData("+358 40 123 4567 ext 5", "a phone number contains only digits after an initial + (spaces, dashes, dots and parentheses are ignored)")]
    [InlineData("+", "a phone number contains only digits after an initial + (spaces, dashes, dots and parentheses are ignored)")]
    [InlineData("+0401234567", "a country code cannot start with 0")]
    [InlineData("000401234567", "a country code cannot start with 0")]
    [InlineData("+358 40", "a phone number has 8–15 digits with its country code, not 5")]
    [InlineData("040 12", "a phone number has 8–15 digits with its country code, not 7")]
    [InlineData("+1234567890123456", "a phone number has 8–15 digits with its country code, not 16")]
    public void Malformed_number_is_rejected_with_the_reason(string? input, string expected)
    {
        Assert.False(PhoneNumber.TryParse(input, out var phone, out var error));
        Assert.Null(phone);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("+12345678", true)]
    [InlineData("+123456789012345", true)]
    [InlineData("+1234567", false)]
    public void Number_has_8_to_15_digits_after_the_plus(string input, bool valid)
    {
        Assert.Equal(valid, PhoneNumber.TryParse(input, out _, out _));
    }

    [Theory]
    [InlineData("040 123 4567", "+358*******67")]
    [InlineData("+46 8 123 456 78", "+*********78")]
    public void ToString_masks_all_but_the_last_two_digits(string input, string expected)
    {
        var phone = PhoneNumber.Parse(input);

        Assert.Equal(expected, phone.ToString());
        Assert.Equal(expected, $"{phone}");
    }

    [Fact]
    public void Parse_throws_FormatException_with_the_reason()
    {
        var exception = Assert.Throws<FormatException>(() => PhoneNumber.Parse("+358 40"));

        Assert.Equal("a phone number has 8–15 digits with its country code, not 5", exception.Message);
    }
}
