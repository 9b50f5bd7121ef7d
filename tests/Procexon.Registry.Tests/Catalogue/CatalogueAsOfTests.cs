using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Catalogue;

[Trait("Category", "Unit")]
public sealed class CatalogueAsOfTests
{
    [Theory]
    [InlineData("2024-01-10", "2024-01-10T23:59:59.9999999+02:00")]
    [InlineData("2020-07-01", "2020-07-01T23:59:59.9999999+03:00")]
    [InlineData("2018-04-16", "2018-04-16T23:59:59.9999999+03:00")]
    public void A_date_means_the_end_of_that_day_in_Finnish_time_summer_or_winter(string asOf, string expected)
    {
        Assert.True(CatalogueAsOf.TryParse(asOf, out var instant));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), instant);
    }

    [Theory]
    [InlineData("2024-01-10T12:00:00Z", "2024-01-10T12:00:00+00:00")]
    [InlineData("2024-01-10T12:00:00+02:00", "2024-01-10T10:00:00+00:00")]
    [InlineData("2024-01-10T12:00:00.250-05:00", "2024-01-10T17:00:00.25+00:00")]
    [InlineData("2024-01-10T12:00", "2024-01-10T10:00:00+00:00")]
    [InlineData("2024-07-10T12:00:00", "2024-07-10T09:00:00+00:00")]
    [InlineData("2024-01-10T12:00:00 02:00", "2024-01-10T10:00:00+00:00")]
    public void A_date_time_is_that_instant_and_without_an_offset_Finnish_time(string asOf, string expected)
    {
        Assert.True(CatalogueAsOf.TryParse(asOf, out var instant));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), instant);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("now")]
    [InlineData("10.1.2024")]
    [InlineData("2024-02-30")]
    [InlineData("2024-01-10 12:00")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    public void Anything_else_is_not_an_instant(string? asOf) => Assert.False(CatalogueAsOf.TryParse(asOf, out _));
}
