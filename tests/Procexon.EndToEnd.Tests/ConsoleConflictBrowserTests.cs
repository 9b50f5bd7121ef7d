using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// A refusal that names no field (a 409) on a page that was out of date (issue 13): the console says why in the user's
/// language, from the problem's type, rather than a bare status or the API's English, and brings the page up to date.
/// </summary>
public sealed partial class ConsoleBrowserTests
{
    [Fact]
    public async Task Privacy_officer_on_a_page_a_colleague_overtook_is_told_in_finnish_that_the_request_was_extended_already()
    {
        var id = await WrittenRequestAsync(FinnishToday());
        await using var browser = await SignedInAsync("privacy-officer", $"/requests/{id}");
        var page = browser.Page;
        await Visible(page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Pidennä vastausaikaa") }));

        // Meanwhile a colleague extends it: this page, loaded before, still offers the extension.
        using (var extended = await platform.Gateway.PostAsJsonAsync($"/api/requests/{id}/extension", new { months = 2, reason = "Kollega pidensi jo" }))
        {
            await GatewayCalls.AssertStatusAsync(extended, HttpStatusCode.OK);
        }

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Perustelu (kerrotaan pyytäjälle)" }).FillAsync("Tietoja on kymmenessä rekisterissä");
        await FluentButton(page, "Pidennä").ClickAsync();
        await Visible(page.GetByRole(AriaRole.Alert).GetByText("Vastausaikaa on jo pidennetty; sen voi pidentää vain kerran."));
        // The API's own title and detail are English prose: not shown on a Finnish page.
        Assert.Equal(0, await page.GetByText("The answer period is already extended").CountAsync());
        await AssertAccessibleAsync(page, "request-already-extended-fi");

        // Without a reload the page is brought up to date: it shows the colleague's extension and offers none, and the
        // reason stays on screen although the refused form is gone.
        await Visible(page.Locator("#timeline li", new() { HasText = "Vastausaikaa pidennetty" }).GetByText("Kollega pidensi jo"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Pidennä vastausaikaa") })).ToHaveCountAsync(0);
        await Visible(page.GetByRole(AriaRole.Alert).GetByText("Vastausaikaa on jo pidennetty; sen voi pidentää vain kerran."));
        Assert.Empty(browser.Blocked);
    }
}
