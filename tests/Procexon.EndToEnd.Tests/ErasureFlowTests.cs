using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The heart of the product (DESIGN §3): one verified erasure request reaches every register holding the subject and
/// the processor that received their data, and comes back as one answer — all through the gateway.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ErasureFlowTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_completion = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Verified_erasure_reaches_every_register_and_the_accounting_firm_and_comes_back_as_one_answer()
    {
        var gateway = platform.Gateway;
        var email = $"erasure-{Guid.NewGuid():N}@example.fi";
        var customerNumber = $"C-{Random.Shared.Next(100000, 999999)}";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Maija Meikäläinen", email, customerNumber, phone = "040 123 4567" });
        await platform.Gateway.AddRecordAsync("customers", subjectId, "customer-contract", new() { ["order"] = "Tilaus 2025-17" });
        await platform.Gateway.AddRecordAsync("customers", subjectId, "basic-data", new() { ["title"] = "Talouspäällikkö" });
        await platform.Gateway.AddRecordAsync("marketing", subjectId, "direct-marketing", new() { ["newsletter"] = "yes" });
        await platform.Gateway.AddRecordAsync("web-users", subjectId, "credentials", new() { ["username"] = "maija" });
        await platform.Gateway.AddRecordAsync("contacts", subjectId, "basic-data", new() { ["channel"] = "e-mail" });
        await platform.Gateway.AddRecordAsync("email-archive", subjectId, "correspondence", new() { ["subject"] = "Tarjouspyyntö" });
        await platform.Gateway.AddRecordAsync("email-archive", subjectId, "accounting-material", new() { ["subject"] = "Lasku 1043" }, new DateOnly(2025, 3, 10));
        await platform.Gateway.AddRecordAsync("accounting-payroll", subjectId, "accounting-material", new() { ["invoice"] = "1043", ["amount"] = "1240.00" }, new DateOnly(2025, 3, 10));
        await platform.Gateway.AddRecordAsync("backups", subjectId, "backup-copies", new() { ["backup"] = "nightly" }, today.AddDays(-10));

        using (var disclosed = await gateway.PostAsJsonAsync("/api/disclosures", new
        {
            recipientId = "accounting-firm",
            subjectId,
            categories = new[] { "basic-data", "accounting-material" },
            legalBasis = "law",
            subject = new { email, customerNumber },
        }))
        {
            await AssertStatusAsync(disclosed, HttpStatusCode.Created);
        }

        var accountingFirm = platform.ServiceAsStaff("accounting-firm");
        Assert.True(await EventuallyAsync(async () => (await GetJsonAsync(accountingFirm, $"/api/client-records?subject={subjectId}")).RootElement.GetArrayLength() > 0,
            TimeSpan.FromSeconds(30)), "The accounting firm never received its copy of the disclosed data.");

        using var received = await gateway.PostAsJsonAsync("/api/requests", new { type = "erasure", subject = new { email }, channel = "email" });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;

        // Nothing runs before identity is verified.
        await Task.Delay(TimeSpan.FromSeconds(2));
        using (var waiting = await GetJsonAsync(gateway, requestPath))
        {
            Assert.Equal("awaiting-verification", waiting.RootElement.GetProperty("status").GetString());
        }

        using (var records = await GetJsonAsync(gateway, $"/api/subjects/{subjectId}/records"))
        {
            Assert.Equal(7, records.RootElement.GetProperty("registers").GetArrayLength());
        }

        using (var verified = await gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-id-document" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        JsonDocument? status = null;
        Assert.True(await EventuallyAsync(async () =>
        {
            status?.Dispose();
            status = await GetJsonAsync(gateway, requestPath);
            return status.RootElement.GetProperty("status").GetString() == "completed";
        }, s_completion), $"The erasure request did not complete within {s_completion.TotalSeconds} s: {status?.RootElement.GetRawText()}");

        var outcomes = status!.RootElement.GetProperty("registers").EnumerateArray()
            .ToDictionary(r => r.GetProperty("register").GetString()!, r => r);
        Assert.Equal(10, outcomes.Count);
        foreach (var erased in new[] { "customers", "marketing", "web-users", "contacts" })
        {
            Assert.Equal("erased", outcomes[erased].GetProperty("outcome").GetString());
        }

        foreach (var notHeld in new[] { "suppliers", "stakeholders", "employees" })
        {
            Assert.Equal("not-held", outcomes[notHeld].GetProperty("outcome").GetString());
        }

        Assert.Equal("beyond-use", outcomes["backups"].GetProperty("outcome").GetString());
        Assert.Equal("retained-under-law", outcomes["email-archive"].GetProperty("outcome").GetString());
        var accounting = outcomes["accounting-payroll"];
        Assert.Equal("retained-under-law", accounting.GetProperty("outcome").GetString());
        var retained = Assert.Single(accounting.GetProperty("retained").EnumerateArray());
        Assert.Contains("1336/1997", retained.GetProperty("statute").GetProperty("en").GetString(), StringComparison.Ordinal);
        Assert.Equal("2031-12-31", retained.GetProperty("retainUntil").GetString());

        var recipient = Assert.Single(status.RootElement.GetProperty("recipients").EnumerateArray());
        Assert.Equal("accounting-firm", recipient.GetProperty("recipient").GetString());
        Assert.Equal("confirmed", recipient.GetProperty("status").GetString());
        status.Dispose();

        // Erased registers hold nothing; what stays is restricted or beyond use.
        using (var left = await GetJsonAsync(gateway, $"/api/subjects/{subjectId}/records"))
        {
            var registers = left.RootElement.GetProperty("registers").EnumerateArray().ToList();
            Assert.Equal(["email-archive", "accounting-payroll", "backups"], registers.Select(r => r.GetProperty("register").GetString()));
            Assert.All(registers.SelectMany(r => r.GetProperty("records").EnumerateArray()),
                record => Assert.NotEqual("active", record.GetProperty("state").GetString()));
        }

        // The accounting firm erased its copy.
        using (var copy = await GetJsonAsync(accountingFirm, $"/api/client-records?subject={subjectId}"))
        {
            Assert.Equal(0, copy.RootElement.GetArrayLength());
        }

        // Retention scheduled the erasure of what the law keeps: from the same answers, in parallel with RightsRequests,
        // so not necessarily before the request completed.
        var rules = new List<string?>();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && rules.Count < 3; await Task.Delay(200))
        {
            using var holds = await GetJsonAsync(gateway, $"/api/retention/holds?subject={subjectId}");
            rules = [.. holds.RootElement.EnumerateArray().Select(h => h.GetProperty("retentionRule").GetString())];
        }

        Assert.Contains("accounting-vouchers", rules);
        Assert.Contains("email-archive", rules);
        Assert.Contains("backup-rotation", rules);

        // The marketing register never takes the subject back (Art 21(3)).
        using (var again = await gateway.PostAsJsonAsync("/api/registers/marketing/records", new { subjectId, category = "direct-marketing", fields = new { newsletter = "yes" } }))
        {
            await AssertStatusAsync(again, HttpStatusCode.Conflict);
        }

        using var answerFi = await GetJsonAsync(gateway, $"{requestPath}/answer?lang=fi");
        var textFi = answerFi.RootElement.GetProperty("text").GetString()!;
        Assert.Contains("Kirjanpitolaki", textFi, StringComparison.Ordinal);
        Assert.Contains("31.12.2031", textFi, StringComparison.Ordinal);
        Assert.Contains("tietosuojavaltuutet", textFi, StringComparison.OrdinalIgnoreCase);

        using var answerEn = await GetJsonAsync(gateway, $"{requestPath}/answer?lang=en");
        var textEn = answerEn.RootElement.GetProperty("text").GetString()!;
        Assert.Contains("Accounting Act", textEn, StringComparison.Ordinal);
        Assert.Contains("31 December 2031", textEn, StringComparison.Ordinal);
        Assert.Contains("ccounting firm", textEn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erasure_request_with_an_invalid_identity_code_or_unknown_type_is_refused_naming_the_field()
    {
        using var badHetu = await platform.Gateway.PostAsJsonAsync("/api/requests", new { type = "erasure", subject = new { hetu = "010594Y9031" } });
        Assert.Equal(HttpStatusCode.BadRequest, badHetu.StatusCode);
        Assert.Contains("subject.hetu", await badHetu.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var unknownRegister = await platform.Gateway.PostAsJsonAsync("/api/registers/no-such/records", new { subjectId = Guid.NewGuid(), category = "basic-data" });
        Assert.Equal(HttpStatusCode.NotFound, unknownRegister.StatusCode);
        Assert.Equal("application/problem+json", unknownRegister.Content.Headers.ContentType?.MediaType);
    }

}
