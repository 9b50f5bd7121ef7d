using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The rest of a request's actions on its console page (issue 13): an objection's decision and the restriction's
/// lifting, a staff recipient's rectification notice confirmed by hand, the answer letter in Finnish and English, a
/// verification code sent, a rectification's corrections given, the export downloaded through the console; each shown
/// only to a role that may take it, and refused by the API to one that may not.
/// </summary>
public sealed partial class ConsoleBrowserTests
{
    private static readonly TimeSpan s_fanOut = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Privacy_officer_upholds_an_objection_with_its_reason_reads_the_answer_in_both_languages_and_lifts_the_restriction()
    {
        var email = $"console-objection-{Guid.NewGuid():N}@example.fi";
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Olli Oikeutettu", email });
        await platform.Gateway.AddRecordAsync("contacts", subjectId, "basic-data", new() { ["channel"] = "phone" });
        var id = await ReceivedAsync(new { type = "objection", subject = new { name = "Olli Oikeutettu", email }, channel = "letter", objection = "legitimate-interest" });
        await VerifiedAsync(id);

        await using var browser = await SignedInAsync("privacy-officer", $"/requests/{id}");
        var page = browser.Page;
        await Visible(page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Ratkaise vastustaminen") }));
        await Visible(page.Locator(".request-details").GetByText("Oikeutettuun etuun perustuva käsittely"));

        // Nothing chosen: the API's problems beside the decision and the grounds.
        await page.Locator("#decide-submit").ClickAsync();
        await Visible(page.GetByText("Valitse, hyväksytäänkö vastustaminen vai hylätäänkö se."));
        await Visible(page.GetByText("Kirjoita perustelu (enintään 2000 merkkiä)."));
        await AssertAccessibleAsync(page, "request-objection-problem-fi");

        await page.Locator("#decide-upheld").ClickAsync();
        await page.Locator("fluent-option", new() { HasText = "Hyväksytty" }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Ratkaisun perustelut" }).FillAsync("Ei huomattavan tärkeitä perusteita jatkaa käsittelyä");
        await page.Locator("#decide-submit").ClickAsync();
        await Visible(page.Locator("#request-decision").GetByText("Ei huomattavan tärkeitä perusteita jatkaa käsittelyä"));
        Assert.Equal(0, await page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Ratkaise vastustaminen") }).CountAsync());

        // Upheld, the contacts register restricts the processing; the request completes and its answer is on the page in both languages.
        await Visible(page.Locator("#request-status", new() { HasText = "Valmis" }), s_fanOut);
        await Visible(page.Locator("#registers").GetByText("Rajoitettu"));
        await Visible(page.Locator("#answer-fi").GetByText("Ei huomattavan tärkeitä perusteita jatkaa käsittelyä"));
        await Visible(page.Locator("#answer-en").GetByText("Ei huomattavan tärkeitä perusteita jatkaa käsittelyä"));
        Assert.Equal("fi", await page.Locator("#answer-fi").GetAttributeAsync("lang"));
        Assert.Equal("en", await page.Locator("#answer-en").GetAttributeAsync("lang"));
        using (var fi = await GetJsonAsync(platform.Gateway, $"/api/requests/{id}/answer?lang=fi"))
        using (var en = await GetJsonAsync(platform.Gateway, $"/api/requests/{id}/answer?lang=en"))
        {
            Assert.NotEqual(fi.RootElement.GetProperty("subject").GetString(), en.RootElement.GetProperty("subject").GetString());
            await Visible(page.Locator("#answer-fi").GetByText(fi.RootElement.GetProperty("subject").GetString()!));
            await Visible(page.Locator("#answer-en").GetByText(en.RootElement.GetProperty("subject").GetString()!));
        }

        await AssertAccessibleAsync(page, "request-answer-fi");

        // The restriction in force may be lifted, with the reason the requester is told first.
        await page.Locator("#lift-submit").ClickAsync();
        await Visible(page.GetByText("Kirjoita perustelu (enintään 2000 merkkiä)."));
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Miksi rajoitus puretaan" }).FillAsync("Oikeudellinen vaatimus on ratkaistu");
        await page.Locator("#lift-submit").ClickAsync();
        await Visible(page.Locator("#request-lifting").GetByText("Oikeudellinen vaatimus on ratkaistu"));
        Assert.Equal(0, await page.Locator("#lift-submit").CountAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Visible(page.Locator("#request-status", new() { HasText = "Completed" }));
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Answer to the requester" }));
        await AssertAccessibleAsync(page, "request-answer-en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suomeksi" }).ClickAsync();
        await Visible(page.Locator("#request-status", new() { HasText = "Valmis" }));

        // Decided as the signed-in privacy officer, whatever the form could have said.
        using var status = await GetJsonAsync(platform.Gateway, $"/api/requests/{id}");
        var decision = status.RootElement.GetProperty("decision");
        Assert.True(decision.GetProperty("upheld").GetBoolean());
        Assert.Contains("privacy-officer", decision.GetProperty("decidedBy").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task Privacy_officer_confirms_by_hand_that_a_staff_recipient_corrected_the_data_and_the_rectification_completes()
    {
        var email = $"console-finago-{Guid.NewGuid():N}@example.fi";
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Tiina Tilitoimisto", email });
        await platform.Gateway.AddRecordAsync("customers", subjectId, "basic-data", new() { ["address"] = "Vanhatie 1, Turku" });
        using (var disclosed = await platform.Gateway.PostAsJsonAsync("/api/disclosures",
            new { recipientId = "finago", subjectId, categories = new[] { "basic-data" }, legalBasis = "contract" }))
        {
            await AssertStatusAsync(disclosed, HttpStatusCode.Created);
        }

        var id = await ReceivedAsync(new
        {
            type = "rectification",
            subject = new { email },
            channel = "email",
            corrections = new[] { new { field = "address", value = "Uusitie 2, Lieto" } },
        });
        await VerifiedAsync(id);

        await using var browser = await SignedInAsync("privacy-officer", $"/requests/{id}");
        var page = browser.Page;
        // Finago is reached by staff only: once it has been told, its row in the progress offers the confirmation.
        var confirm = page.Locator("#confirm-finago");
        await Visible(confirm, s_fanOut);
        await Visible(page.Locator("#recipients tr", new() { HasText = "Finago" }).GetByText("Ilmoitettu"));
        await AssertAccessibleAsync(page, "request-confirm-notice-fi");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Mitä Finago kertoi" }).FillAsync("Finago korjasi osoitteen, puhelimessa");
        await confirm.ClickAsync();
        await Visible(page.Locator("#recipients tr", new() { HasText = "Finago" }).GetByText("Vahvistettu"), s_fanOut);
        await Visible(page.Locator("#request-status", new() { HasText = "Valmis" }), s_fanOut);
        Assert.Equal(0, await page.Locator("#confirm-finago").CountAsync());

        using var notices = await GetJsonAsync(platform.Gateway, $"/api/rectification-notifications?request={id}");
        var notice = Assert.Single(notices.RootElement.EnumerateArray());
        Assert.Equal("confirmed", notice.GetProperty("status").GetString());
        Assert.Contains("privacy-officer", notice.GetProperty("confirmedBy").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Finago korjasi osoitteen, puhelimessa", notice.GetProperty("detail").GetString());
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task Customer_service_sends_a_code_that_reaches_the_requester_and_gives_a_rectifications_corrections()
    {
        var email = $"console-code-{Guid.NewGuid():N}@example.fi";
        var id = await ReceivedAsync(new
        {
            type = "rectification",
            subject = new { name = "Kalle Korjaaja", email },
            channel = "letter",
            receivedOn = FinnishToday().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });

        await using var browser = await SignedInAsync("customer-service", $"/requests/{id}");
        var page = browser.Page;
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Lähetä tunnistuskoodi" }));
        await Visible(page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Anna oikaisut") }));
        // Customer service neither decides nor confirms: the privacy officer's actions are not on the page.
        Assert.Equal(0, await page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^(Pidennä vastausaikaa|Ratkaise vastustaminen|Pura rajoitus)") }).CountAsync());
        await AssertAccessibleAsync(page, "request-code-fi");

        await page.Locator("#code-send").ClickAsync();
        await Visible(page.GetByText("Koodi on lähetetty pyytäjän antamaan osoitteeseen."));
        Assert.True(await EventuallyAsync(() => Task.FromResult(platform.Mail.For(id).Any(m => m.Code is not null)), TimeSpan.FromSeconds(30)),
            "No code reached the requester's mailbox.");
        var mail = Assert.Single(platform.Mail.For(id), m => m.Code is not null);
        Assert.Equal(email, Assert.Single(mail.Recipients), StringComparer.OrdinalIgnoreCase);

        // The requester verifies with the code they were sent; the page follows without a reload.
        using (var verified = await platform.Anonymous.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "one-time-code", code = mail.Code }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        await Visible(page.Locator("#request-status", new() { HasText = "Käsittelyssä" }));

        // A corrected phone that is not one: the API's problem beside the row's value, in the page's Finnish.
        var value = page.GetByRole(AriaRole.Textbox, new() { Name = "Oikea arvo 1", Exact = true });
        await page.Locator("#request-correction-field-0").ClickAsync();
        await page.Locator("#request-correction-field-0 fluent-option", new() { HasText = "Puhelin" }).ClickAsync();
        await value.FillAsync("ei numero");
        await page.Locator("#corrections-submit").ClickAsync();
        await Visible(page.Locator("#request-corrections").GetByText("Anna oikea arvo oikeassa muodossa (enintään 400 merkkiä)."));
        // Beside the row, not above the button: the problem names the row's value.
        Assert.Equal(0, await page.Locator("section.action .problem").CountAsync());
        await AssertAccessibleAsync(page, "request-corrections-problem-fi");

        await page.Locator("#request-correction-field-0").ClickAsync();
        await page.Locator("#request-correction-field-0 fluent-option", new() { HasText = "Osoite" }).ClickAsync();
        await value.FillAsync("Uusitie 2, Lieto");
        await page.Locator("#corrections-submit").ClickAsync();
        await Visible(page.Locator("#request-corrected-fields", new() { HasText = "Osoite" }));

        // Verified and corrected, the rectification runs: nobody holds the new address, so it completes with nothing to rectify.
        await Visible(page.Locator("#request-status", new() { HasText = "Valmis" }), s_fanOut);
        Assert.Equal(0, await page.Locator("section.action").CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Visible(page.Locator("#request-corrected-fields", new() { HasText = "Address" }));
        await AssertAccessibleAsync(page, "request-corrected-en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suomeksi" }).ClickAsync();
        await Visible(page.Locator("#request-status", new() { HasText = "Valmis" }));
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task Auditor_sees_no_action_on_an_objection_and_the_api_and_the_console_refuse_the_auditor_what_is_not_offered()
    {
        var id = await ReceivedAsync(new
        {
            type = "objection",
            subject = new { email = $"console-auditor-{Guid.NewGuid():N}@example.fi" },
            channel = "letter",
            objection = "legitimate-interest",
        });
        await VerifiedAsync(id);

        await using var browser = await SignedInAsync("auditor", $"/requests/{id}");
        var page = browser.Page;
        await Visible(page.Locator("#timeline").GetByText("Vastaanotettu"));
        await Visible(page.Locator(".request-details").GetByText("Oikeutettuun etuun perustuva käsittely"));
        Assert.Equal(0, await page.Locator("section.action").CountAsync());
        await AssertAccessibleAsync(page, "request-objection-auditor-fi");

        // The decision forced with the auditor's own token: the API refuses it, and the objection still awaits one.
        var auditor = await platform.GatewayAs("auditor");
        using (var decision = await auditor.PostAsJsonAsync($"/api/requests/{id}/objection-decision", new { upheld = false, reason = "Not mine to decide" }))
        {
            await AssertStatusAsync(decision, HttpStatusCode.Forbidden);
        }

        using (var corrections = await auditor.PutAsJsonAsync($"/api/requests/{id}/particulars", new { objection = "direct-marketing" }))
        {
            await AssertStatusAsync(corrections, HttpStatusCode.Forbidden);
        }

        using (var status = await GetJsonAsync(platform.Gateway, $"/api/requests/{id}"))
        {
            Assert.Equal(JsonValueKind.Null, status.RootElement.GetProperty("decision").ValueKind);
            Assert.Equal("legitimate-interest", status.RootElement.GetProperty("objection").GetString());
        }

        // The console's download of an export is closed to the auditor as the API's export is.
        var download = await page.APIRequest.GetAsync(new Uri(Gateway, $"/requests/{id}/export?format=json").AbsoluteUri);
        Assert.Equal((int)HttpStatusCode.Forbidden, download.Status);
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task Privacy_officer_downloads_an_access_requests_export_through_the_console_as_json_and_as_a_zip()
    {
        var email = $"console-export-{Guid.NewGuid():N}@example.fi";
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Eeva Eksportti", email });
        await platform.Gateway.AddRecordAsync("customers", subjectId, "basic-data", new() { ["address"] = "Vientikatu 3, Espoo" });
        var id = await ReceivedAsync(new { type = "access", subject = new { name = "Eeva Eksportti", email }, channel = "letter" });
        await VerifiedAsync(id);
        using (await platform.Gateway.WaitForCompletionAsync($"/api/requests/{id}", s_fanOut))
        {
        }

        await using var browser = await SignedInAsync("privacy-officer", $"/requests/{id}");
        var page = browser.Page;
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Pyytäjän tiedot" }));
        await AssertAccessibleAsync(page, "request-export-fi");

        var json = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-json").ClickAsync());
        Assert.Equal($"access-{id}.json", json.SuggestedFilename);
        using (var export = JsonDocument.Parse(await File.ReadAllTextAsync(await json.PathAsync())))
        {
            Assert.Equal(id, export.RootElement.GetProperty("requestId").GetGuid());
            var customers = export.RootElement.GetProperty("registers").EnumerateArray().Single(r => r.GetProperty("register").GetString() == "customers");
            Assert.Contains("Vientikatu 3, Espoo", customers.GetRawText(), StringComparison.Ordinal);
        }

        var zip = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-zip").ClickAsync());
        Assert.Equal($"access-{id}.zip", zip.SuggestedFilename);
        using (var archive = ZipFile.OpenRead(await zip.PathAsync()))
        {
            Assert.Contains(archive.Entries, e => e.FullName.EndsWith(".json", StringComparison.Ordinal));
            Assert.Contains(archive.Entries, e => e.FullName.EndsWith(".csv", StringComparison.Ordinal));
        }

        // The page never gave the browser the token: the download went through the console, which asked the API.
        Assert.Equal(0, await page.Locator($"a[href*='/api/requests/{id}/export']").CountAsync());
        Assert.Empty(browser.Blocked);
    }

    /// <summary>A request entered through the API as staff; its id.</summary>
    private async Task<Guid> ReceivedAsync(object request)
    {
        using var response = await platform.Gateway.PostAsJsonAsync("/api/requests", request);
        await AssertStatusAsync(response, HttpStatusCode.Created);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return created.RootElement.GetProperty("id").GetGuid();
    }

    private async Task VerifiedAsync(Guid id)
    {
        using var verified = await platform.Gateway.PostAsJsonAsync($"/api/requests/{id}/verification", new { method = "signed-letter" });
        await AssertStatusAsync(verified, HttpStatusCode.OK);
    }
}
