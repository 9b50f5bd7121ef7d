using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The console's intake of written requests (issue 13): the API's problems beside the fields and summarised above the
/// form, the form filled and the request verified with the keyboard alone, and the page closed to a role that may not
/// record requests.
/// </summary>
public sealed partial class ConsoleBrowserTests
{
    private const string IntakePath = "/requests/new-written";

    [Fact]
    public async Task Customer_service_enters_a_letter_with_the_keyboard_alone_after_the_problems_are_shown_beside_the_fields_and_verifies_it()
    {
        await using var browser = await SignedInAsync("customer-service", "/");
        var page = browser.Page;
        await page.Locator("#nav-new-written").ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Uusi kirjallinen pyyntö", Level = 1 }));
        await Visible(page.Locator("#intake-submit"));
        await AssertAccessibleAsync(page, "intake-fi");

        // Nothing filled in: the problems beside the fields they name, in Finnish, and a summary above the form that takes the focus.
        await FluentButton(page, "Kirjaa pyyntö").ClickAsync();
        var summary = page.Locator("#intake-summary");
        await Visible(summary);
        await Visible(summary.GetByText("Pyynnön laji — Valitse pyynnön laji."));
        await Visible(page.Locator("#intake-subject-problem", new() { HasText = "Anna rekisteröidystä ainakin yksi tunniste" }));
        // Beside the type field as well as in the summary.
        await Assertions.Expect(page.GetByText(new Regex(@"^Valitse pyynnön laji\."))).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByText(new Regex(@"Valitse pyynnön laji\."))).ToHaveCountAsync(2);
        Assert.Equal("intake-summary", await ActiveIdAsync(page));
        await AssertAccessibleAsync(page, "intake-problem-fi");

        // The same in English, in the API's own words, then Finnish again for the entry.
        await page.GetByRole(AriaRole.Button, new() { Name = "In English" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "New written request", Level = 1 }));
        await Visible(page.Locator("#intake-submit"));
        await FluentButton(page, "Record the request").ClickAsync();
        await Visible(page.Locator("#intake-summary").GetByText("Request type — The type is required"));
        await AssertAccessibleAsync(page, "intake-problem-en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suomeksi" }).ClickAsync();
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Uusi kirjallinen pyyntö", Level = 1 }));
        await Visible(page.Locator("#intake-submit"));

        // The keyboard alone from here: the fields in reading order, the type by typing its first letters, the day the
        // letter came in Finnish, the subject, and Enter on the button.
        var received = FinnishToday().AddDays(-3);
        var email = $"intake-{Guid.NewGuid():N}@example.fi";
        var keyboard = page.Keyboard;
        await TabToAsync(page, "intake-type", maxTabs: 12);
        await keyboard.TypeAsync("Poi");
        await keyboard.PressAsync("Enter");
        await TabToAsync(page, "intake-channel");
        await TabToAsync(page, "intake-received-on");
        await keyboard.PressAsync("Control+A");
        await keyboard.TypeAsync(received.ToString("d.M.yyyy", CultureInfo.InvariantCulture));
        await TabToAsync(page, "intake-name", maxTabs: 3);
        await keyboard.TypeAsync("Kirsi Kirje");
        await TabToAsync(page, "intake-email");
        await keyboard.TypeAsync(email);
        await TabToAsync(page, "intake-details", maxTabs: 5);
        await keyboard.TypeAsync("Pyytää poistamaan kaikki tietonsa; kirje saapui postitse.");
        await TabToAsync(page, "intake-submit");
        await keyboard.PressAsync("Enter");

        // The new request's page: an erasure by letter, due a month after the day it was received, awaiting verification.
        await page.WaitForURLAsync(new Regex("/requests/[0-9a-f-]{36}$"), new() { Timeout = 20_000, WaitUntil = WaitUntilState.Commit });
        await Visible(page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Poistaminen") }));
        await Visible(page.Locator("#request-status", new() { HasText = "Odottaa tunnistamista" }));
        await Visible(page.Locator("dd", new() { HasText = "Kirje" }));
        await Visible(page.Locator("#request-due").GetByText(received.AddMonths(1).ToString("d.M.yyyy", CultureInfo.InvariantCulture)));
        await AssertAccessibleAsync(page, "intake-created-fi");

        // Verified from there with the keyboard too: the method by its first letters, then Enter on the button.
        await TabToAsync(page, "verify-method", maxTabs: 20);
        await keyboard.TypeAsync("henkilöstön t");
        await keyboard.PressAsync("Enter");
        await keyboard.PressAsync("Tab");
        await keyboard.PressAsync("Enter");
        await Visible(page.Locator("#request-status", new() { HasTextRegex = new("Käynnissä|Valmis") }), TimeSpan.FromSeconds(30));
        await Visible(page.GetByText("henkilöstön tarkastama henkilöllisyystodistus"));
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task A_rectification_takes_its_corrections_row_by_row_and_a_bad_value_is_shown_beside_its_row()
    {
        await using var browser = await SignedInAsync("customer-service", IntakePath);
        var page = browser.Page;
        await Visible(page.Locator("#intake-submit"));
        await page.Locator("#intake-type").ClickAsync();
        await page.Locator("#intake-type fluent-option", new() { HasText = "Oikaisu" }).ClickAsync();

        // One row to begin with; a second one added and removed again.
        await Visible(page.Locator("#intake-correction-value-0"));
        await FluentButton(page, "Lisää oikaisu").ClickAsync();
        await Visible(page.Locator("#intake-correction-value-1"));
        await FluentButton(page, "Poista oikaisu 2").ClickAsync();
        await Assertions.Expect(page.Locator("#intake-correction-value-1")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Sähköposti", Exact = true }).FillAsync($"rectify-{Guid.NewGuid():N}@example.fi");
        await page.Locator("#intake-correction-field-0").ClickAsync();
        await page.Locator("#intake-correction-field-0 fluent-option", new() { HasText = "Puhelin" }).ClickAsync();
        var value = page.GetByRole(AriaRole.Textbox, new() { Name = "Oikea arvo 1", Exact = true });
        await value.FillAsync("not a phone");
        await FluentButton(page, "Kirjaa pyyntö").ClickAsync();

        // The API names corrections[0].value: the row's value field shows it, and the summary names the row, in Finnish.
        await Visible(page.Locator("#intake-summary").GetByText("Oikea arvo 1 — Anna oikea arvo oikeassa muodossa (enintään 400 merkkiä)."));
        await Assertions.Expect(page.GetByText(new Regex(@"^Anna oikea arvo oikeassa muodossa"))).ToHaveCountAsync(1);
        await AssertAccessibleAsync(page, "intake-rectification-problem-fi");

        await value.FillAsync("+358 40 123 4567");
        // Leaving the field is what binds its value (a change event), as a user moving to the button does; clicked while
        // still in the field, the form could be sent with the old value and answered with the same problem.
        await value.PressAsync("Tab");
        await FluentButton(page, "Kirjaa pyyntö").ClickAsync();
        try
        {
            await page.WaitForURLAsync(new Regex("/requests/[0-9a-f-]{36}$"), new() { Timeout = 20_000, WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The corrected request did not open its page within 20 s; the form at {page.Url} shows: {await page.InnerTextAsync("main")}");
        }

        await Visible(page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Oikaisu") }));
        Assert.Empty(browser.Blocked);
    }

    [Fact]
    public async Task Auditor_has_no_intake_in_the_navigation_and_is_refused_the_page()
    {
        await using var browser = await SignedInAsync("auditor", "/");
        var page = browser.Page;
        await Visible(page.GetByRole(AriaRole.Heading, new() { Name = "Pyynnöt", Exact = true }));
        Assert.Equal(0, await page.Locator("#nav-new-written").CountAsync());

        var response = await page.GotoAsync(new Uri(Gateway, IntakePath).AbsoluteUri);
        Assert.Equal(403, response!.Status);
        Assert.Equal(0, await page.Locator("#intake-submit").CountAsync());
    }

    /// <summary>
    /// Presses Tab until the element with <paramref name="id"/> has the focus, and fails if it takes more than
    /// <paramref name="maxTabs"/> presses: the fields are reached in the order they are read.
    /// </summary>
    private static async Task TabToAsync(IPage page, string id, int maxTabs = 1)
    {
        var trail = new List<string>();
        for (var pressed = 0; pressed < maxTabs; pressed++)
        {
            await page.Keyboard.PressAsync("Tab");
            // A Fluent select keeps its focusable button inside the element that carries the id.
            if (await page.EvaluateAsync<bool>("id => document.activeElement?.closest('#' + id) != null", id))
            {
                return;
            }

            trail.Add(await page.EvaluateAsync<string>("() => (document.activeElement?.tagName ?? '') + '#' + (document.activeElement?.id ?? '')"));
        }

        Assert.Fail($"{maxTabs} presses of Tab did not reach #{id}; the focus went {string.Join(" → ", trail)}");
    }

    private static Task<string> ActiveIdAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''");
}
