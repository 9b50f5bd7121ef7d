using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Procexon.Contracts;
using Procexon.Registry.Apis;
using Procexon.Registry.Model;

namespace Procexon.Registry.Tests.Catalogue;

[Collection(CatalogueCollection.Name)]
public sealed class CatalogueVersioningTests(RegistryFixture fixture)
{
    private static readonly DateTimeOffset s_noticeWritten = new(2018, 4, 17, 0, 0, 0, TimeSpan.FromHours(3));

    private readonly CatalogueClient _catalogue = new(fixture);

    [Fact]
    public async Task Seeded_registers_have_version_1_valid_from_the_notice_of_17_4_2018()
    {
        foreach (var register in await _catalogue.ListOkAsync())
        {
            var first = (await _catalogue.VersionsOkAsync(register.Slug))[^1];
            Assert.Equal(1, first.Version);
            Assert.Equal(s_noticeWritten, first.ValidFrom);
            Assert.Equal("privacy notice 17.4.2018", first.ChangedBy);
            Assert.Equal("Seeded from the privacy notice (last changed 10.1.2024)", first.ChangeNote);
        }

        // No test edits the backups register: it is still as seeded.
        var backups = await _catalogue.GetOkAsync("backups");
        Assert.Equal(1, backups.Version);
        Assert.Equal(s_noticeWritten, backups.UpdatedAt);
        Assert.Equal("Backups of the registers above", backups.Name.En);
    }

    [Fact]
    public async Task An_edit_makes_version_2_and_the_catalogue_before_it_shows_the_old_text_while_now_shows_the_new()
    {
        var before = await _catalogue.GetOkAsync("stakeholders");
        var body = CatalogueClient.BodyFrom(before, "The description names the events we invite stakeholders to.") with
        {
            Description = new("Sidosryhmien tiedot tapahtumakutsuja varten.", "Stakeholders' data for event invitations."),
        };
        // Made at noon Finnish time on 15 March 2025.
        var editedAt = new DateTimeOffset(2025, 3, 15, 12, 0, 0, TimeSpan.FromHours(2));

        var edited = Assert.IsType<Ok<RegisterDto>>(await _catalogue.EditAsync("stakeholders", body, new FixedClock(editedAt))).Value!;

        Assert.Equal(2, edited.Version);
        Assert.Equal(editedAt, edited.UpdatedAt);
        Assert.Equal("Stakeholders' data for event invitations.", edited.Description.En);
        Assert.Equal(before.Purposes, edited.Purposes);

        var now = await _catalogue.GetOkAsync("stakeholders");
        Assert.Equal((2, "Stakeholders' data for event invitations."), (now.Version, now.Description.En));
        var dayBefore = await _catalogue.GetOkAsync("stakeholders", "2025-03-14");
        Assert.Equal((1, before.Description), (dayBefore.Version, dayBefore.Description));
        Assert.Equal(s_noticeWritten, dayBefore.UpdatedAt);
        var morningOfTheEdit = await _catalogue.GetOkAsync("stakeholders", "2025-03-15T11:59:59+02:00");
        Assert.Equal(1, morningOfTheEdit.Version);
        // A date is the end of that day in Finnish time: the day of the edit shows it.
        var dayOfTheEdit = await _catalogue.GetOkAsync("stakeholders", "2025-03-15");
        Assert.Equal(2, dayOfTheEdit.Version);

        var listBefore = await _catalogue.ListOkAsync("2024-01-10");
        Assert.Equal(before.Description, Assert.Single(listBefore, r => r.Slug == "stakeholders").Description);
        var listNow = await _catalogue.ListOkAsync();
        Assert.Equal(edited.Description, Assert.Single(listNow, r => r.Slug == "stakeholders").Description);

        var history = await _catalogue.VersionsOkAsync("stakeholders");
        Assert.Equal([2, 1], history.Select(v => v.Version));
        Assert.Equal(
            new RegisterVersionDto(2, editedAt, TestUsers.RegisterAdminActor, "The description names the events we invite stakeholders to."),
            history[0]);
        var stored = await fixture.InDatabaseAsync(db => db.Registers.AsNoTracking().SingleAsync(r => r.Slug == "stakeholders"));
        Assert.Equal((2, editedAt), (stored.Version, stored.UpdatedAt));
    }

    [Fact]
    public async Task An_edit_on_a_stale_version_is_a_409_naming_the_current_version_and_changes_nothing()
    {
        var read = await _catalogue.GetOkAsync("contacts");
        var first = CatalogueClient.BodyFrom(read, "Phone contacts are kept for two years.") with
        {
            Retention = new("Kaksi vuotta viimeisestä yhteydenotosta.", "Two years from the last contact."),
        };
        Assert.IsType<Ok<RegisterDto>>(await _catalogue.EditAsync("contacts", first));

        // A second editor read the same version and saves later.
        var second = CatalogueClient.BodyFrom(read, "Phone contacts are kept for five years.") with
        {
            Retention = new("Viisi vuotta.", "Five years."),
        };
        var conflict = Assert.IsType<ProblemHttpResult>(await _catalogue.EditAsync("contacts", second));

        Assert.Equal(StatusCodes.Status409Conflict, conflict.StatusCode);
        Assert.Equal(read.Version + 1, conflict.ProblemDetails.Extensions["currentVersion"]);
        Assert.Equal(read.Version, conflict.ProblemDetails.Extensions["expectedVersion"]);
        var now = await _catalogue.GetOkAsync("contacts");
        Assert.Equal((read.Version + 1, "Two years from the last contact."), (now.Version, now.Retention.En));
        Assert.Equal(read.Version + 1, (await _catalogue.VersionsOkAsync("contacts")).Count);
    }

    [Fact]
    public async Task Two_edits_of_the_same_version_at_once_let_one_win_and_answer_the_other_409()
    {
        var read = await _catalogue.GetOkAsync("web-users");
        var edits = Enumerable.Range(1, 2).Select(i => _catalogue.EditAsync(
            "web-users",
            CatalogueClient.BodyFrom(read, $"Editor {i}") with { OnErasure = new($"Poistetaan ({i}).", $"Erased ({i}).") }));

        var results = await Task.WhenAll(edits);

        Assert.Single(results.OfType<Ok<RegisterDto>>());
        Assert.Equal(StatusCodes.Status409Conflict, Assert.Single(results.OfType<ProblemHttpResult>()).StatusCode);
        var history = await _catalogue.VersionsOkAsync("web-users");
        Assert.Equal(read.Version + 1, history[0].Version);
        Assert.Equal(read.Version + 1, history.Count);
        var winner = history[0].ChangeNote == "Editor 1" ? 1 : 2;
        Assert.Equal($"Erased ({winner}).", (await _catalogue.GetOkAsync("web-users")).OnErasure.En);
    }

    [Fact]
    public async Task Each_version_is_read_by_its_number_as_it_was_and_an_unknown_one_is_a_404_naming_the_newest()
    {
        var first = await _catalogue.GetOkAsync("suppliers");
        var added = RegisterSources.All.First(code => first.Sources.All(s => s.Code != code));
        var read = CatalogueClient.BodyFrom(first, "Suppliers' contacts come from one more source.");
        var body = read with { Sources = [.. read.Sources!, new CodedNameInput(added, new("Uusi lähde", "A new source"))] };
        var edited = Assert.IsType<Ok<RegisterDto>>(await _catalogue.EditAsync("suppliers", body)).Value!;

        var was = Assert.IsType<Ok<RegisterDto>>(await _catalogue.VersionAsync("suppliers", first.Version)).Value!;
        var now = Assert.IsType<Ok<RegisterDto>>(await _catalogue.VersionAsync("suppliers", edited.Version)).Value!;
        var beyond = Assert.IsType<ProblemHttpResult>(await _catalogue.VersionAsync("suppliers", edited.Version + 1));
        var unknown = Assert.IsType<ProblemHttpResult>(await _catalogue.VersionAsync("no-such-register", 1));

        Assert.Equal((first.Version, first.Sources.Count, first.UpdatedAt), (was.Version, was.Sources.Count, was.UpdatedAt));
        // The edit's answer says when it took effect as the database keeps it, to the microsecond.
        Assert.Equal((edited.Version, first.Sources.Count + 1, edited.UpdatedAt), (now.Version, now.Sources.Count, now.UpdatedAt));
        Assert.Equal(added, now.Sources[^1].Code);
        Assert.Equal(StatusCodes.Status404NotFound, beyond.StatusCode);
        Assert.Equal(edited.Version, beyond.ProblemDetails.Extensions["currentVersion"]);
        Assert.Equal(StatusCodes.Status404NotFound, unknown.StatusCode);
        Assert.Equal("Unknown register", unknown.ProblemDetails.Title);
    }

    [Fact]
    public async Task Before_the_notice_of_17_4_2018_the_catalogue_is_empty_and_a_register_did_not_exist_yet()
    {
        Assert.Empty(await _catalogue.ListOkAsync("2018-04-16"));
        Assert.Empty(await _catalogue.ListOkAsync("2018-04-16T23:59:59+03:00"));
        Assert.Equal(10, (await _catalogue.ListOkAsync("2018-04-16T21:00:00Z")).Count);

        var problem = Assert.IsType<ProblemHttpResult>(await _catalogue.GetAsync("customers", "2018-04-16"));

        Assert.Equal(StatusCodes.Status404NotFound, problem.StatusCode);
        Assert.Equal("The register did not exist yet", problem.ProblemDetails.Title);
        Assert.Equal(s_noticeWritten, problem.ProblemDetails.Extensions["validFrom"]);
        Assert.Equal(1, (await _catalogue.GetOkAsync("customers", "2018-04-17")).Version);
    }

    [Fact]
    public async Task Ten_registers_are_listed_in_the_order_of_the_notice_now_and_as_of_2020()
    {
        string[] notice =
        [
            "customers", "suppliers", "marketing", "stakeholders", "web-users",
            "contacts", "email-archive", "accounting-payroll", "employees", "backups",
        ];

        Assert.Equal(notice, (await _catalogue.ListOkAsync()).Select(r => r.Slug));
        var asOf2020 = await _catalogue.ListOkAsync("2020-01-01");
        Assert.Equal(notice, asOf2020.Select(r => r.Slug));
        Assert.All(asOf2020, r => Assert.Equal(1, r.Version));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("2020-13-01")]
    [InlineData("10.1.2024")]
    [InlineData("2024-01-10T25:00")]
    public async Task An_asOf_that_is_not_a_date_or_date_time_is_a_validation_problem_naming_asOf(string asOf)
    {
        var list = Assert.IsType<ValidationProblem>(await _catalogue.ListAsync(asOf));
        var one = Assert.IsType<ValidationProblem>(await _catalogue.GetAsync("customers", asOf));

        Assert.Equal(["asOf"], list.ProblemDetails.Errors.Keys);
        Assert.Equal(["asOf"], one.ProblemDetails.Errors.Keys);
    }

    [Fact]
    public async Task An_unknown_register_is_a_404_problem_to_edit_get_and_list_versions_of()
    {
        var body = CatalogueClient.BodyFrom(await _catalogue.GetOkAsync("suppliers"));

        foreach (var result in new[]
        {
            await _catalogue.EditAsync("customer", body),
            await _catalogue.GetAsync("customer"),
            await _catalogue.GetAsync("customer", "2020-01-01"),
            await _catalogue.VersionsAsync("customer"),
        })
        {
            var problem = Assert.IsType<ProblemHttpResult>(result);
            Assert.Equal(StatusCodes.Status404NotFound, problem.StatusCode);
            Assert.Equal("Unknown register", problem.ProblemDetails.Title);
            Assert.Equal("customer", problem.ProblemDetails.Extensions["register"]);
        }
    }

    [Fact]
    public async Task Every_register_as_read_passes_the_editing_rules()
    {
        foreach (var register in await _catalogue.ListOkAsync())
        {
            var errors = new Dictionary<string, string[]>();
            var edit = CatalogueClient.BodyFrom(register).Validate(TestUsers.RegisterAdminActor, errors);

            Assert.Empty(errors);
            Assert.Equal(new LocalizedText(register.Name.Fi, register.Name.En), edit!.Description.Name);
            Assert.Equal(register.DataCategories, edit.Description.DataCategories);
        }
    }
}
