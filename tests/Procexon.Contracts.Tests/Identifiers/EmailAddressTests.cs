using Procexon.Contracts.Identifiers;

namespace Procexon.Contracts.Tests.Identifiers;

[Trait("Category", "Unit")]
public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("matti.meikalainen@example.com", "matti.meikalainen@example.com")]
    [InlineData("  Matti.Meikalainen@Example.COM ", "matti.meikalainen@example.com")]
    [InlineData("MATTI+GDPR@SUB.EXAMPLE.FI", "matti+gdpr@sub.example.fi")]
    public void Address_is_trimmed_and_lower_cased_whole(string input, string expected)
    {
        Assert.True(EmailAddress.TryParse(input, out var email, out var error), error);
        Assert.Equal(expected, email.Value);
    }

    [Fact]
    public void Addresses_differing_only_in_case_are_equal()
    {
        Assert.Equal(EmailAddress.Parse("Matti@Example.com"), EmailAddress.Parse("matti@EXAMPLE.COM"));
    }

    [Theory]
    [InlineData(null, "an e-mail address is required")]
    [InlineData("", "an e-mail address is required")]
    [InlineData("   ", "an e-mail address is required")]
    [InlineData("matti.example.com", "an e-mail address has exactly one '@'")]
    [InlineData("matti@@example.com", "an e-mail address has exactly one '@'")]
    [InlineData("matti@home@example.com", "an e-mail address has exactly one '@'")]
    [InlineData("@example.com", "the part before '@' is empty")]
    [InlineData("matti@", "the domain after '@' is empty")]
    [InlineData("matti@localhost", "the domain after '@' must contain a dot between its labels")]
    [InlineData("matti@.example", "the domain after '@' must contain a dot between its labels")]
    [InlineData("matti@example.", "the domain after '@' must contain a dot between its labels")]
    [InlineData("matti meikalainen@example.com", "an e-mail address cannot contain whitespace")]
    [InlineData("matti@exa\tmple.com", "an e-mail address cannot contain whitespace")]
    public void Malformed_address_is_rejected_with_the_reason(string? input, string expected)
    {
        Assert.False(EmailAddress.TryParse(input, out var email, out var error));
        Assert.Null(email);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Address_of_254_characters_is_accepted_and_255_rejected()
    {
        const string domain = "@example.com";
        var longest = new string('a', 254 - domain.Length) + domain;

        Assert.True(EmailAddress.TryParse(longest, out _, out _));
        Assert.False(EmailAddress.TryParse("a" + longest, out _, out var error));
        Assert.Equal("an e-mail address has at most 254 characters, not 255", error);
    }

    [Theory]
    [InlineData("Matti.Meikalainen@Example.com", "m***@example.com")]
    [InlineData("x@example.fi", "x***@example.fi")]
    public void ToString_masks_all_but_the_first_character_of_the_local_part(string input, string expected)
    {
        var email = EmailAddress.Parse(input);

        Assert.Equal(expected, email.ToString());
        Assert.Equal(expected, $"{email}");
    }

    [Fact]
    public void Parse_throws_FormatException_with_the_reason()
    {
        var exception = Assert.Throws<FormatException>(() => EmailAddress.Parse("matti@localhost"));

        Assert.Equal("the domain after '@' must contain a dot between its labels", exception.Message);
    }
}
