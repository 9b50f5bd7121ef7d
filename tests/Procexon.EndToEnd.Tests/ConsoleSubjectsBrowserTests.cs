using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The console's subjects (issue 13): a lookup by any identifier with the keyboard alone, a subject's records per
/// register and its merge history, merging a duplicate through a confirmation that says what will happen, and the
/// merge controls shown to the register admin only; a merge two identity codes block, passed by correcting the
/// duplicate's identifiers with a reason.
/// </summary>
public sealed partial class ConsoleBrowserTests
{
    [Fact]
    public async Task Register_admin_looks_up_a_subject_with_the_keyboard_sees_its_records_per_register_and_merges_a_duplicate_after_confirming()
    {
        // Seeded through the API: the survivor with two records in two registers, the duplicate with two in two others.
        var email = $"subjekti-{Guid.NewGuid():N}@example.fi";
        var duplicateNumber = $"C-{Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture)}";
        var duplicatePhone = $"+35840{Random.Shared.Next(1000000, 9999999).ToString(CultureInfo.InvariantCulture)}";
        var survivor = await platform.Gateway.CreateSubjectAsync(new { name = "Sanna Subjekti", email });
        var duplicate = await platform.Gateway.CreateSubjectAsync(new { name = "S. Subjekti", phone = duplicatePhone, customerNumber = duplicateNumber });
        await platform.Gateway.AddRecordAsync("customers", survivor, "customer-contract", new() { ["order"] = "Tilaus 4711" });
        await platform.Gateway.AddRecordAsync("contacts", survivor, "basic-data", new() { ["channel"] = "email" });
        await platform.Gateway.AddRecordAsync("customers", duplicate, "basic-data", new() { ["title"] = "Ostaja" });
        await platform.Gateway.AddRecordAsync("marketing", duplicate, "direct-marketing", new() { ["newsletter"] = "kuukausikirje" });

        await using var browser = await SignedInAsync("register-admin", "/");
        var page = browser.Page;
        // The inbox is not the register admin's: it points to the subjects and the registers instead of a refusal.
        await Visible(page.Locator("#inbox-elsewhere"));
        Assert.Equal(0, await page.Locator("table.requests").CountAsync());
        await page.Locator("ul.inbox-elsewhere").GetByRole(AriaRole.Link, new() { Name = "Rekisteröidyt" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Rekisteröidyt", Level = 1 }));
        await Visible(page.Locator("#lookup-submit"));
        Assert.DoesNotContain(email, page.Url, StringComparison.Ordinal);
        await AssertAccessibleAsync(page, "subjects-lookup-fi");

        // The keyboard alone: Tab to the e-mail, type it, Enter; the answer takes the focus, one Tab from the subject.
        await TabToAsync(page, "lookup-email", maxTabs: 20);
        await page.Keyboard.TypeAsync(email);
        await page.Keyboard.PressAsync("Enter");
        await Visible(page.Locator("#lookup-found", new() { HasText = "Löytyi rekisteröityjä: 1" }));
        var row = page.Locator("#lookup-results tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Visible(row.GetByText(new Regex("Asiakasrekisteri")));
        await Visible(row.GetByText(new Regex("Puhelimen ja sähköpostin yhteystiedot")));
        Assert.Equal("lookup-found", await ActiveIdAsync(page));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal($"/subjects/{survivor}", await page.EvaluateAsync<string>("() => document.activeElement?.getAttribute('href') ?? ''"));
        // The identifiers travelled in a POST over the circuit: none is in the page's address.
        Assert.DoesNotContain(email, page.Url, StringComparison.Ordinal);
        await page.Keyboard.PressAsync("Enter");

        // The subject's page: its identifiers, its records in each register, no merge yet.
        await page.WaitForURLAsync(new Regex($"/subjects/{survivor}$"), new() { Timeout = 20_000, WaitUntil = WaitUntilState.Commit });
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Sanna Subjekti", Level = 1 }));
        await Visible(page.Locator("#subject-identifiers").GetByText(email));
        await Visible(page.Locator("#records-count", new() { HasText = "2 tietuetta 2 rekisterissä." }));
        await Visible(page.Locator("#records-customers").GetByText("Tilaus 4711"));
        await Visible(page.Locator("#records-contacts").GetByText("email"));
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Asiakasrekisteri", Level = 3 }));
        await Visible(page.GetByText("Tähän rekisteröityyn ei ole yhdistetty ketään."));
        await AssertAccessibleAsync(page, "subjects-subject-fi");

        // The duplicate, found by its customer number in the merge's own lookup, and chosen.
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Asiakasnumero", Exact = true }).FillAsync(duplicateNumber);
        await FluentButton(page, "Hae").ClickAsync();
        await Visible(page.Locator("#merge-lookup-found", new() { HasText = "Löytyi rekisteröityjä: 1" }));
        await FluentButton(page, "Valitse S. Subjekti kaksoiskappaleeksi").ClickAsync();

        // The confirmation says who stays and what moves, before anything is sent.
        var confirmation = page.Locator("#merge-confirmation");
        await Visible(confirmation.Locator("#merge-survivor", new() { HasText = "Sanna Subjekti säilyy; S. Subjekti yhdistetään siihen ja poistetaan." }));
        await Visible(confirmation.Locator("#merge-moves", new() { HasText = "2 tietuetta siirtyy säilyvälle rekisteröidylle, jolla on sen jälkeen 4 tietuetta." }));
        await Visible(confirmation.GetByText("Markkinointirekisteri: 1"));
        await AssertAccessibleAsync(page, "subjects-merge-confirm-fi");
        using (var before = await GatewayCalls.GetJsonAsync(platform.Gateway, $"/api/subjects/{survivor}/merges"))
        {
            Assert.Equal(0, before.RootElement.GetArrayLength());
        }

        // No reason: the API's problem beside the reason; then the merge with one.
        await FluentButton(page, "Yhdistä").ClickAsync();
        await Visible(page.GetByText("Kirjoita perustelu (enintään 2000 merkkiä)."));
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Miksi kyse on samasta henkilöstä" }).FillAsync("Sama henkilö: sama nimi ja puhelin asiakaspalvelussa");
        await FluentButton(page, "Yhdistä").ClickAsync();

        // The result, and the subject as it is now: four records in three registers, the phone taken over, the merge listed.
        await Visible(page.Locator("#merge-done", new() { HasText = $"Yhdistetty: 2 tietuetta siirretty rekisteröidyltä {duplicate}." }));
        await Visible(page.Locator("#records-count", new() { HasText = "4 tietuetta 3 rekisterissä." }));
        await Visible(page.Locator("#records-marketing").GetByText("kuukausikirje"));
        await Visible(page.Locator("#subject-identifiers").GetByText(duplicateNumber));
        var merge = page.Locator("#merges li");
        await Assertions.Expect(merge).ToHaveCountAsync(1);
        await Visible(merge.GetByText("Sama henkilö: sama nimi ja puhelin asiakaspalvelussa"));
        await Visible(merge.GetByText($"Rekisteröity {duplicate} yhdistetty tähän, 2 tietuetta siirretty"));
        Assert.Equal(0, await page.Locator("#merge-confirmation").CountAsync());
        await AssertAccessibleAsync(page, "subjects-merged-fi");
        using (var after = await GatewayCalls.GetJsonAsync(platform.Gateway, $"/api/subjects/{survivor}/merges"))
        {
            Assert.Equal(1, after.RootElement.GetArrayLength());
            Assert.Equal(duplicate, after.RootElement[0].GetProperty("mergedFrom").GetGuid());
            Assert.Equal(2, after.RootElement[0].GetProperty("recordsMoved").GetInt32());
        }

        // In English the same page reads the same result.
        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Records per register" }));
        await Visible(page.Locator("#records-count", new() { HasText = "4 records in 3 registers." }));
        await Visible(page.Locator("#merges li").GetByText($"Subject {duplicate} merged into this one, 2 records moved"));
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Marketing register", Level = 3 }));
        await AssertAccessibleAsync(page, "subjects-merged-en");

        // The duplicate's own page says where it went (the API answers 301) and leads there.
        await page.GotoAsync(new Uri(Gateway, $"/subjects/{duplicate}").AbsoluteUri);
        await Visible(page.Locator("#merged-away"));
        await page.Locator("#merged-away").GetByRole(AriaRole.Link).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Sanna Subjekti", Level = 1 }));
        await page.GetByRole(AriaRole.Button, new() { Name = "Suomeksi" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Sanna Subjekti", Level = 1 }));
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task Register_admin_blocked_by_two_identity_codes_removes_the_duplicate_s_mistyped_one_with_a_reason_and_then_merges()
    {
        var duplicateNumber = $"C-{Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture)}";
        var survivor = await platform.Gateway.CreateSubjectAsync(new { name = "Kalle Korjattava", hetu = LogLeaks.RandomHetu(), email = $"kalle-{Guid.NewGuid():N}@example.fi" });
        var duplicate = await platform.Gateway.CreateSubjectAsync(new { name = "K. Korjattava", hetu = LogLeaks.RandomHetu(), customerNumber = duplicateNumber });
        await platform.Gateway.AddRecordAsync("customers", duplicate, "basic-data", new() { ["title"] = "Ostaja" });
        const string mergeReason = "Sama asiakas: henkilötunnus kirjattu väärin vanhaan tilaukseen";

        await using var browser = await SignedInAsync("register-admin", $"/subjects/{survivor}");
        var page = browser.Page;
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Kalle Korjattava", Level = 1 }));
        await Visible(page.GetByText("Rekisteröidyn tunnisteita ei ole korjattu."));

        // Two identity codes: the merge is refused, says why in Finnish, and leads to the duplicate's page.
        await ChooseDuplicateAsync(page, duplicateNumber, "K. Korjattava", mergeReason);
        await Visible(page.Locator("#merge-confirmation").GetByText("Rekisteröidyillä on eri arvot samalle tunnisteelle", new() { Exact = false }));
        await AssertAccessibleAsync(page, "subjects-merge-conflict-fi");
        await page.Locator("#merge-correct").GetByRole(AriaRole.Link).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "K. Korjattava", Level = 1 }));

        // The mistyped code ticked for removal; without a reason the API's problem beside the reason, and nothing changes.
        await page.Locator("#correct-remove-hetu").CheckAsync();
        await page.Locator("#correct-submit").ClickAsync();
        await Visible(page.Locator("#identifier-correction").GetByText("Kirjoita perustelu (enintään 2000 merkkiä)."));
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Korjauksen syy" }).FillAsync("Henkilötunnus kirjattu väärin; asiakas vahvisti puhelimessa");
        await page.Locator("#correct-submit").ClickAsync();
        await Visible(page.Locator("#correct-done", new() { HasText = "Korjattu: henkilötunnus." }));
        await Visible(page.Locator("#identifier-corrections li").GetByText("Henkilötunnus kirjattu väärin; asiakas vahvisti puhelimessa"));
        await AssertAccessibleAsync(page, "subjects-identifiers-corrected-fi");
        using (var corrected = await GatewayCalls.GetJsonAsync(platform.Gateway, $"/api/subjects/{duplicate}"))
        {
            Assert.Equal(JsonValueKind.Null, corrected.RootElement.GetProperty("hetu").ValueKind);
            Assert.Equal(duplicateNumber, corrected.RootElement.GetProperty("customerNumber").GetString());
        }

        // Back on the survivor's page the same merge goes through, and the correction is in the survivor's history.
        await page.GotoAsync(new Uri(Gateway, $"/subjects/{survivor}").AbsoluteUri);
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Kalle Korjattava", Level = 1 }));
        await ChooseDuplicateAsync(page, duplicateNumber, "K. Korjattava", mergeReason);
        await Visible(page.Locator("#merge-done", new() { HasText = $"Yhdistetty: 1 tietuetta siirretty rekisteröidyltä {duplicate}." }));
        await Visible(page.Locator("#identifier-corrections li").GetByText("Korjattu: henkilötunnus"));
        using (var corrections = await GatewayCalls.GetJsonAsync(platform.Gateway, $"/api/subjects/{survivor}/identifier-corrections"))
        {
            var correction = Assert.Single(corrections.RootElement.EnumerateArray());
            Assert.Equal(["hetu"], correction.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
            Assert.Contains("register-admin", correction.GetProperty("correctedBy").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Empty(browser.Blocked);
    }

    /// <summary>The merge's own lookup by customer number, the duplicate chosen, the reason given, the merge sent.</summary>
    private static async Task ChooseDuplicateAsync(IPage page, string customerNumber, string duplicateName, string reason)
    {
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Asiakasnumero", Exact = true }).FillAsync(customerNumber);
        await FluentButton(page, "Hae").ClickAsync();
        await Visible(page.Locator("#merge-lookup-found", new() { HasText = "Löytyi rekisteröityjä: 1" }));
        await FluentButton(page, $"Valitse {duplicateName} kaksoiskappaleeksi").ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Miksi kyse on samasta henkilöstä" }).FillAsync(reason);
        await FluentButton(page, "Yhdistä").ClickAsync();
    }

    [Fact]
    public async Task Customer_service_gets_the_problem_beside_a_bad_identity_code_finds_the_subject_and_sees_no_merge_control()
    {
        var customerNumber = $"C-{Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture)}";
        var subject = await platform.Gateway.CreateSubjectAsync(new { name = "Aino Asiakas", customerNumber });
        await platform.Gateway.AddRecordAsync("customers", subject, "customer-contract", new() { ["order"] = "Tilaus 90210" });

        await using var browser = await SignedInAsync("customer-service", "/");
        var page = browser.Page;
        await page.Locator("#nav-subjects").ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Rekisteröidyt", Level = 1 }));
        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Data subjects", Level = 1 }));
        await Visible(page.Locator("#lookup-submit"));

        // An identity code with a wrong check character: the API's problem beside the identity code field, nothing found.
        var hetu = page.GetByRole(AriaRole.Textbox, new() { Name = "Personal identity code", Exact = true });
        await hetu.FillAsync("010594Y9031");
        await FluentButton(page, "Look up").ClickAsync();
        await Visible(page.GetByText("the check character does not match"));
        await Assertions.Expect(page.GetByText("the check character does not match")).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator("#lookup-results").CountAsync());
        await AssertAccessibleAsync(page, "subjects-problem-en");

        await hetu.FillAsync("");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Customer number", Exact = true }).FillAsync(customerNumber);
        await FluentButton(page, "Look up").ClickAsync();
        var row = page.Locator("#lookup-results tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Visible(row.GetByText("Customer register"));
        await AssertAccessibleAsync(page, "subjects-found-en");

        await row.GetByRole(AriaRole.Link, new() { Name = "Aino Asiakas" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Aino Asiakas", Level = 1 }));
        await Visible(page.Locator("#records-customers").GetByText("Tilaus 90210"));
        await Visible(page.GetByText("No subject has been merged into this one."));
        // Customer service reads subjects but does not merge them: no merge section, no merge lookup.
        Assert.Equal(0, await page.Locator("#merge").CountAsync());
        Assert.Equal(0, await page.Locator("#merge-lookup-submit").CountAsync());
        await AssertAccessibleAsync(page, "subjects-customer-service-en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suomeksi" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Aino Asiakas", Level = 1 }));
        Assert.Empty(browser.Blocked);
    }
}
