using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// No identity code or e-mail address in any log: a whole flow that carries both through every service (create,
/// conflict, bad input, records, searches, a code mailed over SMTP, an erasure request to completion) and then every console line of every
/// resource is searched for the values in each form they could be written in.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LogPrivacyTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_completion = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task No_log_line_of_any_service_holds_the_identity_code_or_email_used_in_a_full_flow()
    {
        var gateway = platform.Gateway;
        var hetu = LogLeaks.RandomHetu();
        var tag = Guid.NewGuid().ToString("N")[..12];
        var email = $"Loki.Testaaja.{tag}@Example.fi";
        var customerNumber = $"C-{tag}";

        using (var created = await gateway.PostAsJsonAsync("/api/subjects", new { name = "Loki Testaaja", email, hetu, phone = "040 765 4321", customerNumber }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var twice = await gateway.PostAsJsonAsync("/api/subjects", new { hetu }))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        }

        var badHetu = hetu[..10] + (hetu[10] == 'A' ? 'B' : 'A');
        using (var bad = await gateway.PostAsJsonAsync("/api/subjects", new { hetu = badHetu, email = email + "@" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        await AddRecordAsync("customers", new { email }, "customer-contract", new { order = "Tilaus 2025-88" });
        await AddRecordAsync("accounting-payroll", new { hetu }, "accounting-material", new { invoice = "2088", amount = "99.00" });
        await AddRecordAsync("marketing", new { email, hetu }, "direct-marketing", new { newsletter = "yes" });

        foreach (var query in new object[] { new { hetu }, new { email } })
        {
            using var found = await gateway.PostAsJsonAsync("/api/subjects/search", query);
            Assert.Equal(HttpStatusCode.OK, found.StatusCode);
            using var body = JsonDocument.Parse(await found.Content.ReadAsStringAsync());
            Assert.Equal(1, body.RootElement.GetArrayLength());
        }

        using var received = await gateway.PostAsJsonAsync("/api/requests", new { type = "erasure", subject = new { email, hetu }, channel = "email" });
        Assert.Equal(HttpStatusCode.Created, received.StatusCode);
        var requestPath = received.Headers.Location!.OriginalString;
        // A code mailed over SMTP: the service, MailKit and the mail server all handle the address.
        using (var sent = await gateway.PostAsync(new Uri($"{requestPath}/verification-code", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        Assert.NotNull((await platform.Mail.WaitForMailToAsync(email)).Code);
        using (var verified = await gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-id-document" }))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        var deadline = DateTime.UtcNow + s_completion;
        string? status = null;
        while (DateTime.UtcNow < deadline && status != "completed")
        {
            await Task.Delay(500);
            using var current = JsonDocument.Parse(await gateway.GetStringAsync(requestPath));
            status = current.RootElement.GetProperty("status").GetString();
        }

        Assert.Equal("completed", status);
        // Console output reaches the resource logger asynchronously.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var lines = platform.Logs.Lines;
        Assert.Contains(lines, l => l.Resource.StartsWith("registry", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Resource.StartsWith("gateway", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Resource.StartsWith("mail", StringComparison.Ordinal));
        var leaks = LogLeaks.Find(lines, LogLeaks.WrittenForms(hetu: hetu, email: email).Concat(LogLeaks.WrittenForms(hetu: badHetu, email: null)));
        Assert.True(leaks.Count == 0, "Personal data in logs:\n" + string.Join('\n', leaks.Take(20).Select(l => $"{l.Resource} [{l.Form.Kind}]: {l.Line}")));
    }

    private async Task AddRecordAsync(string register, object subject, string category, object fields)
    {
        using var response = await platform.Gateway.PostAsJsonAsync($"/api/registers/{register}/records", new { subject, category, fields });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}

/// <summary>The scanner itself, without the platform: it must find a planted value, or the test above proves nothing.</summary>
public sealed class LogLeakScannerTests
{
    [Theory]
    [InlineData("info: Registry[0] subject 131052-308T found")]
    [InlineData("warn: Gateway[0] GET /api/subjects?hetu=131052-308t")]
    [InlineData("dbug: Ef[1] @p0='131052308T'")]
    [InlineData("fail: x[0] checksum of 131052308 wrong")]
    [InlineData("info: Mail[0] sent to maija.meikalainen@example.fi")]
    [InlineData("info: Yarp[0] /api/subjects?email=Maija.Meikalainen%40Example.fi")]
    public void Scanner_finds_a_planted_identity_code_or_email_in_any_written_form(string line)
    {
        var forms = LogLeaks.WrittenForms(hetu: "131052-308T", email: "Maija.Meikalainen@Example.fi");

        var leaks = LogLeaks.Find([("registry", line)], forms);

        Assert.NotEmpty(leaks);
    }

    [Fact]
    public void Scanner_passes_lines_that_only_mask_the_values()
    {
        var forms = LogLeaks.WrittenForms(hetu: "131052-308T", email: "maija.meikalainen@example.fi");

        var leaks = LogLeaks.Find([("registry", "info: subject ******-**** m***@example.fi erased")], forms);

        Assert.Empty(leaks);
    }
}

public static class LogLeaks
{
    public sealed record Form(string Kind, string Text);

    public sealed record Leak(string Resource, Form Form, string Line);

    /// <summary>
    /// The ways a value may end up in a log: as given, normalised (case), URL-encoded (query strings), and for an
    /// identity code also without its century sign and as its bare digits.
    /// </summary>
    public static IReadOnlyList<Form> WrittenForms(string? hetu, string? email)
    {
        var forms = new List<Form>();
        if (hetu is not null)
        {
            forms.Add(new Form("hetu", hetu));
            forms.Add(new Form("hetu without century sign", hetu.Remove(6, 1)));
            forms.Add(new Form("hetu digits", hetu[..6] + hetu[7..10]));
            forms.Add(new Form("hetu url-encoded", Uri.EscapeDataString(hetu)));
        }

        if (email is not null)
        {
            forms.Add(new Form("email", email));
            forms.Add(new Form("email url-encoded", Uri.EscapeDataString(email)));
            forms.Add(new Form("email local part", email[..email.IndexOf('@', StringComparison.Ordinal)]));
        }

        return forms;
    }

    public static IReadOnlyList<Leak> Find(IEnumerable<(string Resource, string Line)> lines, IEnumerable<Form> forms)
    {
        var all = forms.ToList();
        return [.. from line in lines
                   from form in all
                   where line.Line.Contains(form.Text, StringComparison.OrdinalIgnoreCase)
                   select new Leak(line.Resource, form, line.Line)];
    }

    /// <summary>A valid identity code no other test uses: random birth date and individual number, correct check character.</summary>
    public static string RandomHetu()
    {
        var birth = new DateOnly(1950, 1, 1).AddDays(Random.Shared.Next(0, 365 * 50));
        var digits = birth.ToString("ddMMyy", CultureInfo.InvariantCulture) + Random.Shared.Next(2, 900).ToString("000", CultureInfo.InvariantCulture);
        var check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[(int)(long.Parse(digits, CultureInfo.InvariantCulture) % 31)];
        return $"{digits[..6]}{(birth.Year < 2000 ? '-' : 'A')}{digits[6..]}{check}";
    }
}
