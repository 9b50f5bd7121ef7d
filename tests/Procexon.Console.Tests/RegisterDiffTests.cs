using Procexon.Console.Apis;
using Procexon.Console.Components.Registers;

namespace Procexon.Console.Tests;

[Trait("Category", "Unit")]
public sealed class RegisterDiffTests
{
    private static readonly RegisterDescription s_version1 = new(
        "stakeholders",
        1,
        new("Sidosryhmärekisteri", "Stakeholder register"),
        new("Yhteistyökumppaneiden tiedot.", "Data on partners."),
        [
            new("legitimate-interest", new("Yhteydenpito", "Keeping in contact")),
            new("consent", new("Muut tarkoitukset", "Other purposes")),
        ],
        ["legitimate-interest", "consent"],
        [new("basic-data", new("Perustiedot", "Basic data"))],
        [new("subject", new("Rekisteröity itse", "The subject"))],
        new("Kaksi vuotta.", "Two years."),
        ["stakeholders-2y"],
        [],
        new(false, null),
        new("Poistetaan.", "Erased."),
        new DateTimeOffset(2018, 4, 17, 0, 0, 0, TimeSpan.FromHours(3)));

    [Fact]
    public void The_same_description_has_no_changes()
    {
        Assert.Empty(RegisterDiff.Between(s_version1, s_version1 with { Version = 2, UpdatedAt = DateTimeOffset.UnixEpoch }));
    }

    [Fact]
    public void A_changed_text_is_one_change_in_its_language_with_what_was_and_what_is()
    {
        var version2 = s_version1 with { Version = 2, Description = new("Kumppaneiden ja verkostojen tiedot.", "Data on partners.") };

        var change = Assert.Single(RegisterDiff.Between(s_version1, version2));

        Assert.Equal(new FieldChange("description.fi", "Yhteistyökumppaneiden tiedot.", "Kumppaneiden ja verkostojen tiedot."), change);
        Assert.Equal("description", change.Top);
    }

    [Fact]
    public void A_purpose_removed_is_shown_as_gone_and_its_legal_basis_list_as_changed()
    {
        var version2 = s_version1 with { Purposes = [s_version1.Purposes[0]], LegalBases = ["legitimate-interest"] };

        var changes = RegisterDiff.Between(s_version1, version2);

        Assert.Equal(
            [
                new FieldChange("legalBases", "legitimate-interest, consent", "legitimate-interest"),
                new FieldChange("purposes[1].legalBasis", "consent", null),
                new FieldChange("purposes[1].text.fi", "Muut tarkoitukset", null),
                new FieldChange("purposes[1].text.en", "Other purposes", null),
            ],
            changes);
        Assert.Equal("purposes", changes[1].Top);
    }

    [Fact]
    public void Categories_are_compared_by_code_and_a_new_transfer_safeguard_appears_as_added()
    {
        var version2 = s_version1 with
        {
            DataCategories = [new("usage-data", new("Käyttötiedot", "Usage data")), new("basic-data", new("Perustiedot", "Basic data"))],
            Recipients = ["accounting-firm"],
            TransfersOutsideEuEea = new(true, new("Vakiolausekkeet", "Standard clauses")),
        };

        var changes = RegisterDiff.Between(s_version1, version2);

        Assert.Equal(
            [
                new FieldChange("dataCategories[usage-data].name.fi", null, "Käyttötiedot"),
                new FieldChange("dataCategories[usage-data].name.en", null, "Usage data"),
                new FieldChange("recipients", "", "accounting-firm"),
                new FieldChange("transfersOutsideEuEea.possible", "false", "true"),
                new FieldChange("transfersOutsideEuEea.safeguard.fi", null, "Vakiolausekkeet"),
                new FieldChange("transfersOutsideEuEea.safeguard.en", null, "Standard clauses"),
            ],
            changes);
    }
}
