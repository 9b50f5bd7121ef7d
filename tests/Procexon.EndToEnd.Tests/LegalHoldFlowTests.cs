using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Npgsql;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// A legal hold placed by a person (GDPR Art 17(3)(e)), all through the gateway: a privacy officer holds a subject's
/// e-mail archive for legal claims, the subject's erasure keeps it and the answer says so, and lifting the hold erases
/// it while what the Accounting Act keeps stays.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LegalHoldFlowTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_completion = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Erasure_keeps_what_a_privacy_officer_held_for_legal_claims_says_so_and_erases_it_once_the_hold_is_lifted()
    {
        var gateway = platform.Gateway;
        var email = $"legal-hold-{Guid.NewGuid():N}@example.fi";
        var subjectId = await gateway.CreateSubjectAsync(new { name = "Matti Riitaisa", email });
        await gateway.AddRecordAsync("customers", subjectId, "basic-data", new() { ["title"] = "Toimitusjohtaja" });
        await gateway.AddRecordAsync("email-archive", subjectId, "correspondence", new() { ["subject"] = "Reklamaatio" });
        await gateway.AddRecordAsync("accounting-payroll", subjectId, "accounting-material", new() { ["invoice"] = "2044" }, new DateOnly(2025, 3, 10));

        // Only a privacy officer places holds: a register admin is refused at the gateway's service.
        var admin = await platform.GatewayAs("register-admin");
        using (var refused = await admin.PostAsJsonAsync("/api/retention/legal-holds", new { subjectId, register = "email-archive", reason = "Claim" }))
        {
            await AssertStatusAsync(refused, HttpStatusCode.Forbidden);
        }

        var officer = await platform.GatewayAs("privacy-officer");
        using var placed = await officer.PostAsJsonAsync("/api/retention/legal-holds",
            new { subjectId, register = "email-archive", basis = "legal-claims", reason = "Reclamation 2026/4 may go to court" });
        await AssertStatusAsync(placed, HttpStatusCode.Created);
        var holdPath = placed.Headers.Location!.OriginalString;
        Guid holdId;
        using (var hold = JsonDocument.Parse(await placed.Content.ReadAsStringAsync()))
        {
            Assert.Equal("in-force", hold.RootElement.GetProperty("status").GetString());
            holdId = hold.RootElement.GetProperty("id").GetGuid();
        }

        // The hold reaches the Registry through Retention's outbox and the broker; no API shows the Registry's copy, so
        // the test waits for it in the Registry's database before it erases, instead of racing the two flows.
        await using (var registry = new NpgsqlConnection(await platform.App.GetConnectionStringAsync("registrydb")))
        {
            await registry.OpenAsync();
            Assert.True(await EventuallyAsync(async () =>
            {
                await using var count = new NpgsqlCommand("SELECT count(*) FROM legal_holds WHERE hold_id = @id", registry);
                count.Parameters.AddWithValue("id", holdId);
                return (long)(await count.ExecuteScalarAsync())! == 1;
            }, TimeSpan.FromSeconds(30)), "The Registry never received the legal hold.");
        }

        using var received = await gateway.PostAsJsonAsync("/api/requests", new { type = "erasure", subject = new { email }, channel = "email" });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;
        using (var verified = await gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-id-document" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        using (var status = await gateway.WaitForCompletionAsync(requestPath, s_completion))
        {
            var outcomes = status.RootElement.GetProperty("registers").EnumerateArray().ToDictionary(r => r.GetProperty("register").GetString()!);
            Assert.Equal("erased", outcomes["customers"].GetProperty("outcome").GetString());
            Assert.Equal("retained-under-law", outcomes["accounting-payroll"].GetProperty("outcome").GetString());
            var archive = outcomes["email-archive"];
            Assert.Equal("retained-under-legal-hold", archive.GetProperty("outcome").GetString());
            var held = Assert.Single(archive.GetProperty("held").EnumerateArray());
            Assert.Equal(("correspondence", "legal-claims", 1), (held.GetProperty("category").GetString(), held.GetProperty("basis").GetString(), held.GetProperty("records").GetInt32()));
        }

        using (var answerFi = await GetJsonAsync(gateway, $"{requestPath}/answer?lang=fi"))
        {
            var text = answerFi.RootElement.GetProperty("text").GetString()!;
            Assert.Contains("Oikeudellisen vaateen vuoksi säilytettävät tiedot", text, StringComparison.Ordinal);
            Assert.Contains("17 artiklan 3 kohdan e alakohta", text, StringComparison.Ordinal);
            // The officer's reason is staff's own, never the subject's letter.
            Assert.DoesNotContain("Reclamation 2026/4", text, StringComparison.Ordinal);
        }

        using (var answerEn = await GetJsonAsync(gateway, $"{requestPath}/answer?lang=en"))
        {
            Assert.Contains("What we keep for legal claims", answerEn.RootElement.GetProperty("text").GetString()!, StringComparison.Ordinal);
            Assert.Equal("email-archive", Assert.Single(answerEn.RootElement.GetProperty("held").EnumerateArray()).GetProperty("register").GetString());
        }

        using (var lifted = await officer.PostAsJsonAsync($"{holdPath}/lifting", new { reason = "Settled out of court" }))
        {
            await AssertStatusAsync(lifted, HttpStatusCode.OK);
        }

        Assert.True(await EventuallyAsync(async () =>
        {
            using var hold = await GetJsonAsync(gateway, holdPath);
            return hold.RootElement.GetProperty("recordsErased").ValueKind == JsonValueKind.Number;
        }, TimeSpan.FromSeconds(30)), "The Registry never reported erasing what the lifted hold kept.");
        using (var hold = await GetJsonAsync(gateway, holdPath))
        {
            Assert.Equal(1, hold.RootElement.GetProperty("recordsErased").GetInt32());
        }

        // What the hold kept is gone; what the Accounting Act keeps stays, restricted, until its own period ends.
        using var left = await GetJsonAsync(gateway, $"/api/subjects/{subjectId}/records");
        var registers = left.RootElement.GetProperty("registers").EnumerateArray().Select(r => r.GetProperty("register").GetString()).ToList();
        Assert.Equal(["accounting-payroll"], registers);
    }
}
