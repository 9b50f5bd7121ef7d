using Procexon.Contracts.Identifiers;

namespace Procexon.Contracts.Tests.Identifiers;

[Trait("Category", "Unit")]
public sealed class HetuTests
{
    [Theory]
    [InlineData("131052-308T", 1952, 10, 13)]
    [InlineData("010594Y9032", 1994, 5, 1)]
    [InlineData("020594X903P", 1994, 5, 2)]
    [InlineData("010516B903X", 2016, 5, 1)]
    [InlineData("010501E9032", 2001, 5, 1)]
    public void Design_test_codes_are_valid_and_give_the_birth_date(string code, int year, int month, int day)
    {
        Assert.True(Hetu.TryParse(code, out var hetu, out var error), error);
        Assert.Equal(code, hetu.Value);
        Assert.Equal(new DateOnly(year, month, day), hetu.BirthDate);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("010185+123B", 1885)]
    [InlineData("010190-123M", 1990)]
    [InlineData("010190Y123M", 1990)]
    [InlineData("010190X123M", 1990)]
    [InlineData("010190W123M", 1990)]
    [InlineData("010190V123M", 1990)]
    [InlineData("010190U123M", 1990)]
    [InlineData("010110A1230", 2010)]
    [InlineData("010110B1230", 2010)]
    [InlineData("010110C1230", 2010)]
    [InlineData("010110D1230", 2010)]
    [InlineData("010110E1230", 2010)]
    [InlineData("010110F1230", 2010)]
    public void Hetu_with_every_century_sign_is_accepted_and_sets_the_century(string code, int year)
    {
        var hetu = Hetu.Parse(code);

        Assert.Equal(code, hetu.Value);
        Assert.Equal(new DateOnly(year, 1, 1), hetu.BirthDate);
        Assert.False(hetu.IsTemporary);
    }

    [Fact]
    public void Same_date_and_number_under_different_century_signs_are_different_people()
    {
        var dash = Hetu.Parse("010190-999W");
        var y = Hetu.Parse("010190Y999W");

        Assert.NotEqual(dash, y);
        Assert.Equal(dash.BirthDate, y.BirthDate);
        Assert.Equal(Hetu.Parse("010190-999W"), dash);
    }

    [Theory]
    [InlineData("010190-900P", true)]
    [InlineData("010190-999W", true)]
    [InlineData("010190-002R", false)]
    [InlineData("010190-123M", false)]
    public void Individual_number_900_to_999_is_flagged_as_temporary(string code, bool temporary)
    {
        Assert.Equal(temporary, Hetu.Parse(code).IsTemporary);
    }

    [Theory]
    [InlineData("010190-000")]
    [InlineData("010190-001")]
    public void Individual_number_000_and_001_are_rejected(string withoutCheck)
    {
        var code = WithCheckCharacter(withoutCheck);

        Assert.False(Hetu.TryParse(code, out var hetu, out var error));
        Assert.Null(hetu);
        Assert.Equal("the individual number must be 002–899, or 900–999 for a temporary code", error);
    }

    [Theory]
    [InlineData("290224A123F", 2024)]
    [InlineData("290200A1239", 2000)]
    public void February_29_of_a_leap_year_is_accepted(string code, int year)
    {
        Assert.Equal(new DateOnly(year, 2, 29), Hetu.Parse(code).BirthDate);
    }

    [Theory]
    [InlineData("290223A1237", "the date 29.02.2023 does not exist")]
    [InlineData("290200-1239", "the date 29.02.1900 does not exist")]
    public void February_29_of_a_common_year_is_rejected(string code, string expected)
    {
        Assert.False(Hetu.TryParse(code, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("310490-123")]
    [InlineData("001090-123")]
    [InlineData("010090-123")]
    [InlineData("011390-123")]
    [InlineData("321290-123")]
    public void Dates_that_do_not_exist_are_rejected(string withoutCheck)
    {
        var code = WithCheckCharacter(withoutCheck);

        Assert.False(Hetu.TryParse(code, out _, out var error));
        Assert.Matches("^the date [0-9]{2}\\.[0-9]{2}\\.[0-9]{4} does not exist$", error);
    }

    [Theory]
    [InlineData("131052-308A")]
    [InlineData("010594Y9033")]
    [InlineData("010190-999K")]
    public void Wrong_check_character_is_rejected_without_revealing_the_right_one(string code)
    {
        Assert.False(Hetu.TryParse(code, out var hetu, out var error));
        Assert.Null(hetu);
        Assert.Equal("the check character does not match", error);
    }

    [Theory]
    [InlineData("131052-308G")]
    [InlineData("131052-308I")]
    [InlineData("131052-308O")]
    [InlineData("131052-308Q")]
    [InlineData("131052-308Z")]
    [InlineData("131052-308*")]
    public void Character_that_is_never_a_check_character_is_rejected(string code)
    {
        Assert.False(Hetu.TryParse(code, out _, out var error));
        Assert.Equal("the check character must be a digit or a letter A–Y other than G, I, O or Q", error);
    }

    [Theory]
    [InlineData("131052G308T")]
    [InlineData("131052Z308T")]
    [InlineData("131052/308T")]
    [InlineData("131052 308T")]
    [InlineData("1310520308T")]
    public void Unknown_century_sign_is_rejected(string code)
    {
        Assert.False(Hetu.TryParse(code, out _, out var error));
        Assert.StartsWith("the seventh character must be a century sign", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("131052-308", 10)]
    [InlineData("131052-308TT", 12)]
    [InlineData("13105-308T", 10)]
    [InlineData("131052--308T", 12)]
    public void Code_of_wrong_length_is_rejected(string code, int length)
    {
        Assert.False(Hetu.TryParse(code, out _, out var error));
        Assert.Equal($"a personal identity code has 11 characters, not {length}", error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Missing_code_is_rejected(string? code)
    {
        Assert.False(Hetu.TryParse(code, out _, out var error));
        Assert.Equal("a personal identity code is required", error);
    }

    [Theory]
    [InlineData("13105X-308T", "the first six characters must be digits (the date of birth, DDMMYY)")]
    [InlineData("131052-3O8T", "the eighth to tenth characters must be digits (the individual number)")]
    public void Letters_where_digits_belong_are_rejected(string code, string expected)
    {
        Assert.False(Hetu.TryParse(code, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("010594y9032", "010594Y9032")]
    [InlineData("  131052-308t ", "131052-308T")]
    [InlineData("020594x903p", "020594X903P")]
    public void Lower_case_and_surrounding_spaces_are_normalised(string input, string expected)
    {
        var hetu = Hetu.Parse(input);

        Assert.Equal(expected, hetu.Value);
        Assert.Equal(Hetu.Parse(expected), hetu);
    }

    [Theory]
    [InlineData("131052-308T")]
    [InlineData("010594Y9032")]
    [InlineData("020594X903P")]
    [InlineData("010516B903X")]
    [InlineData("010501E9032")]
    [InlineData("010185+123B")]
    public void ToString_never_shows_a_digit_or_the_code(string code)
    {
        var hetu = Hetu.Parse(code);

        foreach (var shown in new[] { hetu.ToString(), $"{hetu}", string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}", hetu) })
        {
            Assert.DoesNotContain(shown, char.IsAsciiDigit);
            Assert.DoesNotContain(code, shown, StringComparison.Ordinal);
            Assert.DoesNotContain(code[10..], shown, StringComparison.Ordinal);
        }

        Assert.Equal($"******{code[6]}****", hetu.ToString());
    }

    [Theory]
    [InlineData("131052-308A")]
    [InlineData("290223A1237")]
    [InlineData("131052G308T")]
    public void Error_messages_never_echo_the_code(string code)
    {
        Assert.False(Hetu.TryParse(code, out _, out var error));
        Assert.DoesNotContain(code[..6], error, StringComparison.Ordinal);
        Assert.DoesNotContain(code[7..10], error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_throws_FormatException_with_the_reason()
    {
        var exception = Assert.Throws<FormatException>(() => Hetu.Parse("131052-308A"));

        Assert.Equal("the check character does not match", exception.Message);
    }

    private static string WithCheckCharacter(string withoutCheck)
    {
        const string checkCharacters = "0123456789ABCDEFHJKLMNPRSTUVWXY";
        var number = int.Parse(string.Concat(withoutCheck.AsSpan(0, 6), withoutCheck.AsSpan(7, 3)), System.Globalization.CultureInfo.InvariantCulture);
        return withoutCheck + checkCharacters[number % 31];
    }
}
