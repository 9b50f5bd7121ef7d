using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.FluentUI.AspNetCore.Components;
using Procexon.Console.Apis;
using Procexon.Console.Components.Requests;
using Procexon.Console.Resources;

namespace Procexon.Console.Tests;

/// <summary>
/// A staff page shows the API's problems in the user's language: the API's own words in English, the console's text
/// for the field in Finnish, read through the console's own localization over its real resource files.
/// </summary>
[Trait("Category", "Unit")]
public sealed class FieldProblemsTests
{
    private static readonly IStringLocalizer<Texts> s_texts = new ServiceCollection().AddLogging().AddLocalization()
        .BuildServiceProvider().GetRequiredService<IStringLocalizer<Texts>>();

    private static readonly ApiProblem s_problem = new(400, "The request is not valid.", null, new Dictionary<string, string[]>
    {
        ["reason"] = ["Give the reason for the extension; the subject is told it."],
        ["corrections[3].value"] = ["The phone number is not valid."],
        ["somethingNew"] = ["A rule newer than the console."],
        ["expectedVersion"] = ["Give the version you edited."],
    });

    [Fact]
    public void In_Finnish_a_field_s_problem_is_the_console_s_text_for_the_field()
    {
        using var _ = UiCulture("fi");

        Assert.Equal("Kirjoita perustelu (enintään 2000 merkkiä).", FieldProblems.Message(s_texts, s_problem, "reason"));
    }

    [Fact]
    public void In_English_a_field_s_problem_is_the_API_s_own_message()
    {
        using var _ = UiCulture("en");

        Assert.Equal("Give the reason for the extension; the subject is told it.", FieldProblems.Message(s_texts, s_problem, "reason"));
    }

    [Fact]
    public void In_Finnish_a_field_without_a_text_of_its_own_gets_the_generic_Finnish_text_never_the_API_s_English()
    {
        using var _ = UiCulture("fi");

        Assert.Equal("Tarkista tämä kohta.", FieldProblems.Message(s_texts, s_problem, "somethingNew"));
    }

    [Fact]
    public void In_Finnish_a_problem_naming_a_field_the_form_lacks_is_listed_with_its_text_the_merge_s_duplicate_among_them()
    {
        using var _ = UiCulture("fi");
        var merge = new ApiProblem(400, "The merge is not valid.", null, new Dictionary<string, string[]>
        {
            ["duplicateId"] = ["A subject cannot be merged into itself."],
        });

        // The merge form shows only the reason as a field.
        Assert.Equal(["Valitse toinen rekisteröity, joka yhdistetään tähän."], FieldProblems.Others(s_texts, merge, ["reason"]));
    }

    [Fact]
    public void A_row_s_index_is_dropped_so_every_row_shares_one_text()
    {
        using var _ = UiCulture("fi");

        Assert.Equal("Problem_corrections.value", FieldProblems.KeyOf("corrections[3].value"));
        Assert.Equal("Problem_purposes.text.fi", FieldProblems.KeyOf("purposes[12].text.fi"));
        Assert.Equal("Anna oikea arvo oikeassa muodossa (enintään 400 merkkiä).", FieldProblems.Message(s_texts, s_problem, "corrections[3].value"));
    }

    [Fact]
    public void A_field_the_problem_does_not_name_has_no_message_and_no_error_state_in_either_language()
    {
        foreach (var culture in new[] { "fi", "en" })
        {
            using var _ = UiCulture(culture);

            Assert.Null(FieldProblems.Message(s_texts, s_problem, "months"));
            Assert.Null(FieldProblems.Message(s_texts, null, "reason"));
            Assert.Null(FieldProblems.State(s_problem, "months"));
            Assert.Equal(MessageState.Error, FieldProblems.State(s_problem, "reason"));
        }
    }

    [Fact]
    public void A_page_may_show_another_field_s_text_where_its_field_means_something_else()
    {
        using var _ = UiCulture("fi");
        var problem = new ApiProblem(400, null, null, new Dictionary<string, string[]> { ["subject"] = ["The subject must be a subject id (a GUID)."] });

        Assert.Equal("Tarkista rekisteröidyn tunniste: anna se sellaisena kuin rekisteröityjen sivu sen näyttää.", FieldProblems.Message(s_texts, problem, "subject", textOf: "subjectId"));
        Assert.StartsWith("Anna rekisteröidystä ainakin yksi tunniste", FieldProblems.Message(s_texts, problem, "subject"), StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_for_fields_the_page_lacks_are_the_field_s_text_or_the_status_s_in_Finnish_and_the_API_s_in_English()
    {
        using (UiCulture("fi"))
        {
            Assert.Equal(
                ["Annetut tiedot eivät kelpaa. Tarkista ne ja yritä uudelleen.", "Kirjoita perustelu (enintään 2000 merkkiä)."],
                FieldProblems.Others(s_texts, s_problem, ["corrections[3].value"]).Order(StringComparer.Ordinal));
        }

        using (UiCulture("en"))
        {
            Assert.Equal(
                ["A rule newer than the console.", "Give the version you edited."],
                FieldProblems.Others(s_texts, s_problem, ["reason", "corrections[3].value"]).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData(400, "Annetut tiedot eivät kelpaa. Tarkista ne ja yritä uudelleen.")]
    [InlineData(422, "Annetut tiedot eivät kelpaa. Tarkista ne ja yritä uudelleen.")]
    [InlineData(403, "Roolisi ei salli tätä.")]
    [InlineData(404, "Kohdetta ei löytynyt: se on ehkä poistettu tai yhdistetty sillä välin. Lataa sivu uudelleen.")]
    [InlineData(409, "Tätä ei voi tehdä nyt: tilanne on ehkä muuttunut sillä välin. Lataa sivu uudelleen ja tarkista.")]
    [InlineData(500, "Jokin meni vikaan. Yritä hetken kuluttua uudelleen.")]
    public void In_Finnish_a_problem_naming_no_field_is_the_status_s_text_without_the_API_s_English_detail(int status, string expected)
    {
        using var _ = UiCulture("fi");
        var problem = new ApiProblem(status, "The request cannot be extended.", "It is already extended.", new Dictionary<string, string[]>());

        Assert.Equal((expected, (string?)null), FieldProblems.Summary(s_texts, problem));
    }

    [Fact]
    public void In_Finnish_a_problem_of_a_known_type_says_why_in_the_console_s_words_and_one_of_an_unknown_type_falls_back_to_its_status()
    {
        using var _ = UiCulture("fi");
        var extended = new ApiProblem(409, "The answer period is already extended", "Request … was extended on …", new Dictionary<string, string[]>())
        {
            Type = "already-extended",
        };
        var unknown = extended with { Type = "something-new" };

        Assert.Equal(("Vastausaikaa on jo pidennetty; sen voi pidentää vain kerran.", (string?)null), FieldProblems.Summary(s_texts, extended));
        Assert.Equal(("Tätä ei voi tehdä nyt: tilanne on ehkä muuttunut sillä välin. Lataa sivu uudelleen ja tarkista.", (string?)null),
            FieldProblems.Summary(s_texts, unknown));
    }

    [Fact]
    public void In_English_a_problem_naming_no_field_is_the_API_s_title_and_detail_or_the_status_s_text_without_a_title()
    {
        using var _ = UiCulture("en");
        var conflict = new ApiProblem(409, "The request cannot be extended.", "It is already extended.", new Dictionary<string, string[]>());
        var bare = new ApiProblem(404, null, null, new Dictionary<string, string[]>());

        Assert.Equal(("The request cannot be extended.", "It is already extended."), FieldProblems.Summary(s_texts, conflict));
        Assert.Equal(("It was not found: it may have been removed or merged meanwhile. Reload the page.", (string?)null), FieldProblems.Summary(s_texts, bare));
    }

    /// <summary>Sets the UI culture, as the console's request localization does, until disposed.</summary>
    private static CultureScope UiCulture(string name) => new(name);

    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _before = CultureInfo.CurrentUICulture;

        public CultureScope(string name) => CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);

        public void Dispose() => CultureInfo.CurrentUICulture = _before;
    }
}
