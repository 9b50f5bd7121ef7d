using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The console's registers pages (issue 13): a register admin edits a register's text and its lists, is shown the API's
/// problems beside an emptied field and beside the rows they name, and sees the new version in the history and what it
/// changed; an auditor reads the
/// catalogue and a history without any edit control, previews the generated notice in both languages and downloads the
/// record of processing. The edits touch only the stakeholders register's description and sources, which no other
/// end-to-end test reads (the notice conformance check runs on its own database, from the seed).
/// </summary>
public sealed partial class ConsoleBrowserTests
{
    private const string EditedRegister = "stakeholders";

    [Fact]
    public async Task Register_admin_edits_a_register_s_description_sees_the_problem_beside_an_empty_name_then_the_new_version_and_its_diff_in_both_languages()
    {
        var auditor = await platform.GatewayAs("auditor");
        var before = await RegisterVersionCountAsync(auditor);
        await using var browser = await SignedInAsync("register-admin", $"/registers/{EditedRegister}");
        var page = browser.Page;
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Sidosryhmärekisteri", Level = 1 }));
        await Visible(page.Locator("#register-history"));
        await Assertions.Expect(page.Locator("#register-history tbody tr")).ToHaveCountAsync(before);
        await AssertAccessibleAsync(page, "registers-register-admin-fi");

        // The Finnish name emptied: the API's problem beside that field, and nothing written.
        var name = page.GetByRole(AriaRole.Textbox, new() { Name = "Nimi (suomeksi)", Exact = true });
        await name.FillAsync("");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Mikä muuttuu ja miksi" }).FillAsync("Nimi poistettu vahingossa");
        await FluentButton(page, "Tallenna uutena versiona").ClickAsync();
        await Visible(page.GetByText("Kirjoita nimi suomeksi (enintään 4000 merkkiä)."));
        await Assertions.Expect(page.GetByText("Kirjoita nimi suomeksi (enintään 4000 merkkiä).")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#register-edit-done")).ToHaveCountAsync(0);
        Assert.Equal(before, await RegisterVersionCountAsync(auditor));
        await AssertAccessibleAsync(page, "registers-edit-problem-fi");

        // The name back, a new description: a new version at the top of the history, by the register admin, today.
        var stamp = Guid.NewGuid().ToString("N")[..8];
        var oldDescription = await page.Locator("#register-description").TextContentAsync();
        var newDescription = $"Sidosryhmien yhteyshenkilöiden tiedot yhteydenpitoa ja tapahtumakutsuja varten (tarkistus {stamp}).";
        await name.FillAsync("Sidosryhmärekisteri");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Kuvaus (suomeksi)", Exact = true }).FillAsync(newDescription);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Mikä muuttuu ja miksi" }).FillAsync($"Kuvaus tarkennettu {stamp}");
        await FluentButton(page, "Tallenna uutena versiona").ClickAsync();
        await Visible(page.Locator("#register-edit-done", new() { HasText = $"Tallennettu versiona {before + 1}." }));
        await Visible(page.Locator("#register-description", new() { HasText = newDescription }));
        var rows = page.Locator("#register-history tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(before + 1);
        var newest = rows.First;
        await Assertions.Expect(newest).ToContainTextAsync($"Kuvaus tarkennettu {stamp}");
        await Assertions.Expect(newest).ToContainTextAsync("register-admin");
        await Assertions.Expect(newest).ToContainTextAsync(FinnishToday().ToString("d.M.yyyy", CultureInfo.InvariantCulture) + " klo ");
        Assert.Equal(before + 1, await RegisterVersionCountAsync(auditor));

        // What the edit changed, field by field: the Finnish description alone, what was and what is.
        await FluentButton(page, "Näytä muutokset").ClickAsync();
        var diff = page.Locator("#register-diff");
        await Visible(diff);
        await Assertions.Expect(diff.Locator("caption")).ToHaveTextAsync($"Muutokset versiosta {before} versioon {before + 1}");
        var change = diff.Locator("tbody tr");
        await Assertions.Expect(change).ToHaveCountAsync(1);
        await Assertions.Expect(change.Locator("th")).ToContainTextAsync("description.fi");
        await Assertions.Expect(change.Locator("td.was")).ToHaveTextAsync(oldDescription!.Trim());
        await Assertions.Expect(change.Locator("td.is")).ToHaveTextAsync(newDescription);
        await AssertAccessibleAsync(page, "registers-diff-fi");

        // The same in English.
        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Stakeholder register", Level = 1 }));
        await FluentButton(page, "Show the changes").ClickAsync();
        await Assertions.Expect(page.Locator("#register-diff caption")).ToHaveTextAsync($"Changes from version {before} to version {before + 1}");
        await Assertions.Expect(page.Locator("#register-diff tbody tr th")).ToContainTextAsync("Description");
        await AssertAccessibleAsync(page, "registers-diff-en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suomeksi" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Sidosryhmärekisteri", Level = 1 }));
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task Register_admin_edits_a_register_s_lists_gets_each_problem_beside_its_row_then_saves_a_new_source_as_a_new_version()
    {
        var auditor = await platform.GatewayAs("auditor");
        var before = await RegisterVersionCountAsync(auditor);
        int sources, recipients;
        using (var read = await GetJsonAsync(auditor, $"/api/registers/{EditedRegister}"))
        {
            sources = read.RootElement.GetProperty("sources").GetArrayLength();
            recipients = read.RootElement.GetProperty("recipients").GetArrayLength();
        }

        await using var browser = await SignedInAsync("register-admin", $"/registers/{EditedRegister}");
        var page = browser.Page;
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Muokkaa rekisteriä" }));
        await Assertions.Expect(page.Locator("#edit-sources .edit-row")).ToHaveCountAsync(sources);

        // Consent unticked while purposes rest on it, and a recipient named in words rather than by its id: each
        // problem beside its own field, and nothing written.
        var consent = page.GetByRole(AriaRole.Checkbox, new() { Name = "suostumus", Exact = true });
        await consent.UncheckAsync();
        await FluentButton(page, "Lisää vastaanottaja").ClickAsync();
        var recipient = page.GetByRole(AriaRole.Textbox, new() { Name = $"Vastaanottaja {recipients + 1}", Exact = true });
        await recipient.FillAsync("Tapahtumatoimisto Oy");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Mikä muuttuu ja miksi" }).FillAsync("Uusi vastaanottaja");
        await FluentButton(page, "Tallenna uutena versiona").ClickAsync();
        await Visible(page.Locator("#edit-purposes").GetByText("Valitse käyttötarkoituksen oikeusperuste yllä valituista oikeusperusteista."));
        await Visible(page.Locator("#edit-recipients").GetByText("Anna kunkin vastaanottajan tunniste", new() { Exact = false }));
        await Assertions.Expect(page.Locator("#register-edit-done")).ToHaveCountAsync(0);
        Assert.Equal(before, await RegisterVersionCountAsync(auditor));
        await AssertAccessibleAsync(page, "registers-edit-lists-problem-fi");

        // Consent back, the recipient's row removed, a source added with its names: saved as the next version.
        await consent.CheckAsync();
        await FluentButton(page, $"Poista: Vastaanottaja {recipients + 1}").ClickAsync();
        await Assertions.Expect(page.Locator("#edit-recipients .edit-row")).ToHaveCountAsync(recipients);
        await FluentButton(page, "Lisää tietolähde").ClickAsync();
        await page.Locator($"#edit-sources-{sources}-code").ClickAsync();
        await page.Locator($"#edit-sources-{sources}-code fluent-option", new() { HasText = "dvv" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Tietolähde {sources + 1} (suomeksi)", Exact = true }).FillAsync("Digi- ja väestötietovirasto");
        await page.GetByRole(AriaRole.Textbox, new() { Name = $"Tietolähde {sources + 1} (englanniksi)", Exact = true }).FillAsync("Digital and Population Data Services Agency");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Mikä muuttuu ja miksi" }).FillAsync("Osoitteet tarkistetaan väestötietojärjestelmästä");
        await FluentButton(page, "Tallenna uutena versiona").ClickAsync();
        await Visible(page.Locator("#register-edit-done", new() { HasText = $"Tallennettu versiona {before + 1}." }));
        await AssertAccessibleAsync(page, "registers-edit-lists-fi");

        using (var now = await GetJsonAsync(auditor, $"/api/registers/{EditedRegister}"))
        {
            var added = now.RootElement.GetProperty("sources")[sources];
            Assert.Equal(("dvv", "Digi- ja väestötietovirasto"), (added.GetProperty("code").GetString(), added.GetProperty("name").GetProperty("fi").GetString()));
            Assert.Equal(recipients, now.RootElement.GetProperty("recipients").GetArrayLength());
            Assert.Contains("consent", now.RootElement.GetProperty("legalBases").EnumerateArray().Select(b => b.GetString()));
        }

        // What changed, field by field: the new source's two names (the diff knows a source by its code), nothing else:
        // consent unticked and ticked again is where it was.
        await FluentButton(page, "Näytä muutokset").ClickAsync();
        var changes = page.Locator("#register-diff tbody tr");
        await Assertions.Expect(changes).ToHaveCountAsync(2);
        await Assertions.Expect(changes.Locator("th")).ToContainTextAsync(["sources[dvv].name.fi", "sources[dvv].name.en"]);
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task Auditor_reads_the_catalogue_and_a_history_with_no_edit_control_previews_the_notice_in_both_languages_and_downloads_the_record_of_processing()
    {
        await using var browser = await SignedInAsync("auditor", "/");
        var page = browser.Page;
        await page.Locator("#nav-registers").ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Rekisterit", Level = 1 }));
        await Assertions.Expect(page.Locator("#registers-catalogue tbody tr")).ToHaveCountAsync(10);
        await Visible(page.Locator("#registers-catalogue").GetByText("Asiakasrekisteri"));
        await AssertAccessibleAsync(page, "registers-catalogue-fi");

        // The record of processing through the console, which reads it with the auditor's token: a CSV in Finnish, and JSON.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#registers-export-csv-fi").ClickAsync());
        Assert.Equal("record-of-processing-fi.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("Asiakasrekisteri", csv, StringComparison.Ordinal);
        Assert.Contains("Työntekijärekisteri", csv, StringComparison.Ordinal);
        var json = await page.APIRequest.GetAsync(new Uri(Gateway, "/downloads/record-of-processing?format=json&lang=en").AbsoluteUri);
        Assert.Equal(200, json.Status);
        Assert.StartsWith("application/json", json.Headers["content-type"], StringComparison.Ordinal);
        Assert.Contains("Customer register", await json.TextAsync(), StringComparison.Ordinal);
        var badFormat = await page.APIRequest.GetAsync(new Uri(Gateway, "/downloads/record-of-processing?format=xlsx&lang=fi").AbsoluteUri);
        Assert.Equal(400, badFormat.Status);

        // A register's page: its history, and no edit control; the API refuses the auditor's edit anyway.
        await page.GetByRole(AriaRole.Link, new() { Name = "Asiakasrekisteri" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Asiakasrekisteri", Level = 1 }));
        await Visible(page.Locator("#register-history tbody tr"));
        Assert.Equal(0, await page.Locator("#register-edit").CountAsync());
        Assert.Equal(0, await page.GetByText("Tallenna uutena versiona").CountAsync());
        await AssertAccessibleAsync(page, "registers-register-auditor-fi");
        var auditor = await platform.GatewayAs("auditor");
        using (var edit = await auditor.PutAsJsonAsync("/api/registers/customers", new { changeNote = "Not mine to change", expectedVersion = 1 }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        }

        // The generated privacy notice, in Finnish and in English.
        await page.GetByRole(AriaRole.Link, new() { Name = "Takaisin rekistereihin" }).ClickAsync();
        await page.Locator("#registers-notice-link").ClickAsync();
        var notice = page.Locator("#notice-preview");
        await Visible(notice.GetByRole(AriaRole.Heading, new() { Name = "Procexon Oy:n tietosuojaseloste" }));
        await Assertions.Expect(notice).ToHaveAttributeAsync("lang", "fi");
        await Visible(notice.GetByText("Sidosryhmärekisteri"));
        await AssertAccessibleAsync(page, "registers-notice-fi");
        await FluentButton(page, "englanniksi").ClickAsync();
        await Visible(notice.GetByRole(AriaRole.Heading, new() { Name = "Procexon Oy privacy notice" }));
        await Assertions.Expect(notice).ToHaveAttributeAsync("lang", "en");
        await AssertAccessibleAsync(page, "registers-notice-en");
        Assert.Empty(browser.Blocked);
    }

    private static async Task<int> RegisterVersionCountAsync(HttpClient caller)
    {
        using var versions = JsonDocument.Parse(await caller.GetStringAsync(new Uri($"/api/registers/{EditedRegister}/versions", UriKind.Relative)));
        return versions.RootElement.GetArrayLength();
    }
}
