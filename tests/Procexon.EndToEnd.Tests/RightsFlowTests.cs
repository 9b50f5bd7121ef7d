using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using CsvHelper;
using static Procexon.EndToEnd.Tests.GatewayCalls;

namespace Procexon.EndToEnd.Tests;

/// <summary>
/// The rights other than erasure (GDPR Art 15, 16, 18, 20, 21), each fanned out to the registers holding the subject
/// and answered once — all through the gateway. Exports are parsed back with real parsers and checked field by field.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RightsFlowTests(PlatformFixture platform)
{
    private static readonly TimeSpan s_completion = TimeSpan.FromSeconds(90);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Access_answers_with_every_record_including_data_kept_under_law_the_catalogue_and_the_ombudsman()
    {
        var email = $"access-{Guid.NewGuid():N}@example.fi";
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Aino Aaltonen", email, phone = "040 765 4321" });
        await platform.Gateway.AddRecordAsync("customers", subjectId, "customer-contract", new() { ["order"] = "Tilaus 2025-31", ["delivery"] = "Lieto" });
        await platform.Gateway.AddRecordAsync("web-users", subjectId, "usage-data", new() { ["lastLogin"] = "2025-10-01" });
        await platform.Gateway.AddRecordAsync("accounting-payroll", subjectId, "accounting-material", new() { ["invoice"] = "2077", ["amount"] = "99.50" }, new DateOnly(2025, 3, 10));

        var requestPath = await VerifiedRequestAsync(new { type = "access", subject = new { email }, channel = "web-form" });
        await platform.Gateway.WaitForCompletionAsync(requestPath, s_completion);

        using var response = await platform.Gateway.GetAsync(new Uri($"{requestPath}/export?format=json", UriKind.Relative));
        await AssertStatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var export = JsonSerializer.Deserialize<ExportDoc>(await response.Content.ReadAsStringAsync(), s_json)!;

        Assert.Equal("access", export.Type);
        Assert.Equal("Procexon Oy", export.Controller.Name);
        Assert.Equal("https://tietosuoja.fi", export.Complaint.Web);
        Assert.Contains("tietosuojavaltuutettu", export.Complaint.Authority.En, StringComparison.Ordinal);
        var identifiers = Assert.Single(export.Identifiers);
        Assert.Equal(email, identifiers.Email);
        Assert.Equal("+358407654321", identifiers.Phone);
        Assert.Equal("Aino Aaltonen", identifiers.Name);
        Assert.Equal(["accounting-payroll", "customers", "web-users"], export.Registers.Select(r => r.Register));
        Assert.All(export.Registers, r => Assert.Equal("disclosed", r.Outcome));

        var order = Assert.Single(export.Registers.Single(r => r.Register == "customers").Records);
        Assert.Equal("customer-contract", order.Category);
        Assert.Equal("contract", order.LegalBasis);
        Assert.Equal("active", order.State);
        Assert.Equal("Tilaus 2025-31", order.Fields["order"]);
        Assert.Equal("Lieto", order.Fields["delivery"]);

        // Data held under law and legitimate interest is part of access (Art 15), unlike portability.
        var invoice = Assert.Single(export.Registers.Single(r => r.Register == "accounting-payroll").Records);
        Assert.Equal("law", invoice.LegalBasis);
        Assert.Equal("2077", invoice.Fields["invoice"]);
        Assert.Equal("99.50", invoice.Fields["amount"]);
        Assert.Equal(new DateOnly(2025, 3, 10), invoice.RecordedOn);
        Assert.Equal("legitimate-interest", Assert.Single(export.Registers.Single(r => r.Register == "web-users").Records).LegalBasis);

        // The catalogue's account of each register (Art 15(1)(a)–(h)).
        var customers = export.Registers.Single(r => r.Register == "customers").Processing!;
        Assert.NotEmpty(customers.Purposes);
        Assert.Contains("contract", customers.LegalBases);
        Assert.Contains(customers.Categories, c => c.Category == "customer-contract" && c.LegalBasis == "contract");
        Assert.Contains("accounting-firm", customers.Recipients);
        Assert.NotEmpty(customers.Sources);
        Assert.False(string.IsNullOrWhiteSpace(customers.Retention.En));

        using var answerEn = await GetJsonAsync($"{requestPath}/answer?lang=en");
        var textEn = answerEn.RootElement.GetProperty("text").GetString()!;
        Assert.Contains("Data Protection Ombudsman", textEn, StringComparison.Ordinal);
        Assert.Contains("Held because the law requires it: 1 record", textEn, StringComparison.Ordinal);
        Assert.True(answerEn.RootElement.GetProperty("holdsData").GetBoolean());
        Assert.Equal($"{requestPath}/export?format=json", answerEn.RootElement.GetProperty("export").GetString());
        using var answerFi = await GetJsonAsync($"{requestPath}/answer?lang=fi");
        Assert.Contains("tietosuojavaltuutettu", answerFi.RootElement.GetProperty("text").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Portability_exports_only_consent_and_contract_data_as_json_and_csv_in_a_zip()
    {
        var email = $"portability-{Guid.NewGuid():N}@example.fi";
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Pekka Pohjola", email });
        await platform.Gateway.AddRecordAsync("customers", subjectId, "customer-contract", new() { ["order"] = "Tilaus, \"kiireellinen\"" });
        await platform.Gateway.AddRecordAsync("web-users", subjectId, "credentials", new() { ["username"] = "pekka" });
        await platform.Gateway.AddRecordAsync("web-users", subjectId, "usage-data", new() { ["lastLogin"] = "2025-10-01" });
        await platform.Gateway.AddRecordAsync("marketing", subjectId, "direct-marketing", new() { ["newsletter"] = "yes" });
        await platform.Gateway.AddRecordAsync("accounting-payroll", subjectId, "accounting-material", new() { ["invoice"] = "3001" }, new DateOnly(2025, 3, 10));

        var requestPath = await VerifiedRequestAsync(new { type = "portability", subject = new { email }, channel = "web-form" });
        await platform.Gateway.WaitForCompletionAsync(requestPath, s_completion);

        using var response = await platform.Gateway.GetAsync(new Uri($"{requestPath}/export?format=zip", UriKind.Relative));
        await AssertStatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var zip = new ZipArchive(body, ZipArchiveMode.Read);
        Assert.Equal(["data.json", "identifiers.csv", "records.csv"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));

        ExportDoc export;
        await using (var json = zip.GetEntry("data.json")!.Open())
        {
            export = (await JsonSerializer.DeserializeAsync<ExportDoc>(json, s_json))!;
        }

        var exported = export.Registers.SelectMany(r => r.Records).ToList();
        Assert.Equal(["contract", "contract"], exported.Select(r => r.LegalBasis));
        Assert.DoesNotContain(exported, r => r.Category is "usage-data" or "direct-marketing" or "accounting-material");
        Assert.All(export.Registers, r => Assert.Null(r.Processing));
        Assert.Equal(email, Assert.Single(export.Identifiers).Email);

        var rows = new List<CsvRecordRow>();
        await using (var entry = zip.GetEntry("records.csv")!.Open())
        using (var csv = CsvReader.Create(entry, new CsvReaderOptions { Separator = ',' }, false))
        {
            while (csv.Read())
            {
                rows.Add(new CsvRecordRow(
                    csv.GetString("register"), Guid.Parse(csv.GetString("recordId")), csv.GetString("category"), csv.GetString("legalBasis"),
                    csv.GetString("recordedOn"), csv.GetString("field"), csv.GetString("value")));
            }
        }

        Assert.Equal(2, rows.Count);
        var order = rows.Single(r => r.Register == "customers");
        Assert.Equal("customer-contract", order.Category);
        Assert.Equal("contract", order.LegalBasis);
        Assert.Equal("order", order.Field);
        Assert.Equal("Tilaus, \"kiireellinen\"", order.Value);
        var username = rows.Single(r => r.Register == "web-users");
        Assert.Equal(("credentials", "username", "pekka"), (username.Category, username.Field, username.Value));
        Assert.Equal(exported.Single(r => r.Category == "credentials").RecordId, username.RecordId);

        await using (var entry = zip.GetEntry("identifiers.csv")!.Open())
        using (var csv = CsvReader.Create(entry, new CsvReaderOptions { Separator = ',' }, false))
        {
            var identifiers = new Dictionary<string, string>();
            while (csv.Read())
            {
                identifiers[csv.GetString("field")] = csv.GetString("value");
            }

            Assert.Equal(email, identifiers["email"]);
            Assert.Equal("Pekka Pohjola", identifiers["name"]);
        }

        // The same subject's access includes what portability left out.
        var accessPath = await VerifiedRequestAsync(new { type = "access", subject = new { email }, channel = "web-form" });
        await platform.Gateway.WaitForCompletionAsync(accessPath, s_completion);
        using var access = await platform.Gateway.GetAsync(new Uri($"{accessPath}/export", UriKind.Relative));
        var all = JsonSerializer.Deserialize<ExportDoc>(await access.Content.ReadAsStringAsync(), s_json)!;
        Assert.Equal(5, all.Registers.Sum(r => r.Records.Count));
        Assert.Contains(all.Registers.SelectMany(r => r.Records), r => r.LegalBasis == "law" && r.Fields["invoice"] == "3001");
        Assert.Contains(all.Registers.SelectMany(r => r.Records), r => r.LegalBasis == "legitimate-interest" && r.Category == "direct-marketing");
    }

    [Fact]
    public async Task Restricted_subject_cannot_be_changed_by_staff_until_the_restriction_is_lifted_after_telling_the_subject()
    {
        var email = $"restriction-{Guid.NewGuid():N}@example.fi";
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Riitta Rajala", email });
        var recordId = await platform.Gateway.AddRecordAsync("customers", subjectId, "basic-data", new() { ["title"] = "Ostaja" });
        await platform.Gateway.AddRecordAsync("contacts", subjectId, "basic-data", new() { ["channel"] = "phone" });

        var requestPath = await VerifiedRequestAsync(new { type = "restriction", subject = new { email }, channel = "letter" });
        await platform.Gateway.WaitForCompletionAsync(requestPath, s_completion);

        using (var records = await GetJsonAsync($"/api/subjects/{subjectId}/records"))
        {
            var states = records.RootElement.GetProperty("registers").EnumerateArray()
                .SelectMany(r => r.GetProperty("records").EnumerateArray()).Select(r => r.GetProperty("state").GetString()).ToList();
            Assert.Equal(["restricted", "restricted"], states);
        }

        using (var added = await platform.Gateway.PostAsJsonAsync("/api/registers/customers/records", new { subjectId, category = "customer-contract", fields = new { order = "X" } }))
        {
            await AssertProblemAsync(added, HttpStatusCode.Conflict, "Art 18");
        }

        using (var changed = await platform.Gateway.PatchAsJsonAsync($"/api/registers/customers/records/{recordId}", new { fields = new { title = "Johtaja" } }))
        {
            await AssertProblemAsync(changed, HttpStatusCode.Conflict, "Art 18");
        }

        using (var answer = await GetJsonAsync($"{requestPath}/answer?lang=en"))
        {
            Assert.Equal(["contacts", "customers"], answer.RootElement.GetProperty("registers").EnumerateArray()
                .Where(r => r.GetProperty("outcome").GetString() == "restricted").Select(r => r.GetProperty("register").GetString()).Order());
        }

        using (var noReason = await platform.Gateway.PostAsJsonAsync($"{requestPath}/restriction-lifting", new { detail = "no reason given" }))
        {
            await AssertProblemAsync(noReason, HttpStatusCode.BadRequest, "reason");
        }

        using (var lifting = await platform.Gateway.PostAsJsonAsync($"{requestPath}/restriction-lifting",
            new { reason = "The accuracy of the data has been verified." }))
        {
            await AssertStatusAsync(lifting, HttpStatusCode.OK);
            using var told = JsonDocument.Parse(await lifting.Content.ReadAsStringAsync());
            Assert.Contains("being lifted", told.RootElement.GetProperty("notice").GetProperty("en").GetString()!, StringComparison.Ordinal);
            Assert.Contains("poistetaan", told.RootElement.GetProperty("notice").GetProperty("fi").GetString()!, StringComparison.Ordinal);
        }

        using (var twice = await platform.Gateway.PostAsJsonAsync($"{requestPath}/restriction-lifting", new { reason = "Again" }))
        {
            await AssertProblemAsync(twice, HttpStatusCode.Conflict, "No restriction to lift");
        }

        JsonDocument? state = null;
        Assert.True(await EventuallyAsync(async () =>
        {
            state?.Dispose();
            state = await GetJsonAsync($"{requestPath}/restriction-lifting");
            return state.RootElement.GetProperty("liftedAt").ValueKind != JsonValueKind.Null;
        }, s_completion), "The registers never released the restriction.");
        Assert.True(state!.RootElement.GetProperty("subjectToldAt").GetDateTimeOffset() <= state.RootElement.GetProperty("liftedAt").GetDateTimeOffset());
        state.Dispose();

        using (var changed = await platform.Gateway.PatchAsJsonAsync($"/api/registers/customers/records/{recordId}", new { fields = new { title = "Johtaja" } }))
        {
            await AssertStatusAsync(changed, HttpStatusCode.OK);
        }

        using (var added = await platform.Gateway.PostAsJsonAsync("/api/registers/customers/records", new { subjectId, category = "customer-contract", fields = new { order = "X" } }))
        {
            await AssertStatusAsync(added, HttpStatusCode.Created);
        }

        using var answerFi = await GetJsonAsync($"{requestPath}/answer?lang=fi");
        Assert.Contains("rajoitus", answerFi.RootElement.GetProperty("liftingNotice").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rectification_corrects_every_register_and_the_processor_and_refuses_a_bad_value_naming_it()
    {
        var email = $"rectify-{Guid.NewGuid():N}@example.fi";
        var corrected = $"corrected-{Guid.NewGuid():N}@example.fi";
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Kalle Korjaus", email });
        var customerRecord = await platform.Gateway.AddRecordAsync("customers", subjectId, "basic-data", new() { ["email"] = email, ["address"] = "Vanhatie 1, Turku" });
        var contactRecord = await platform.Gateway.AddRecordAsync("contacts", subjectId, "basic-data", new() { ["address"] = "Vanhatie 1, Turku" });
        var untouched = await platform.Gateway.AddRecordAsync("web-users", subjectId, "credentials", new() { ["username"] = "kalle" });
        using (var disclosed = await platform.Gateway.PostAsJsonAsync("/api/disclosures", new
        {
            recipientId = "accounting-firm",
            subjectId,
            categories = new[] { "basic-data" },
            legalBasis = "contract",
            subject = new { email },
        }))
        {
            await AssertStatusAsync(disclosed, HttpStatusCode.Created);
        }

        var accountingFirm = platform.ServiceAsStaff("accounting-firm");
        Assert.True(await EventuallyAsync(async () =>
        {
            using var copies = await GatewayCalls.GetJsonAsync(accountingFirm, $"/api/client-records?subject={subjectId}");
            return copies.RootElement.GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(30)), "The accounting firm never received its copy.");

        using var received = await platform.Gateway.PostAsJsonAsync("/api/requests", new { type = "rectification", subject = new { email }, channel = "email" });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;

        using (var bad = await platform.Gateway.PutAsJsonAsync($"{requestPath}/particulars",
            new { corrections = new[] { new { field = "email", value = "not-an-address" } } }))
        {
            await AssertProblemAsync(bad, HttpStatusCode.BadRequest, "corrections[0].value");
        }

        using (var particulars = await platform.Gateway.PutAsJsonAsync($"{requestPath}/particulars", new
        {
            corrections = new[] { new { field = "email", value = corrected.ToUpperInvariant() }, new { field = "address", value = "Uusitie 2, Lieto" } },
        }))
        {
            await AssertStatusAsync(particulars, HttpStatusCode.OK);
        }

        using (var verified = await platform.Gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-known-contact" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        using var status = await platform.Gateway.WaitForCompletionAsync(requestPath, s_completion);
        var recipient = Assert.Single(status.RootElement.GetProperty("recipients").EnumerateArray());
        Assert.Equal("accounting-firm", recipient.GetProperty("recipient").GetString());
        Assert.Equal("confirmed", recipient.GetProperty("status").GetString());

        using (var subject = await GetJsonAsync($"/api/subjects/{subjectId}"))
        {
            Assert.Equal(corrected, subject.RootElement.GetProperty("email").GetString());
        }

        using (var record = await GetJsonAsync($"/api/registers/customers/records/{customerRecord}"))
        {
            Assert.Equal(corrected, record.RootElement.GetProperty("fields").GetProperty("email").GetString());
            Assert.Equal("Uusitie 2, Lieto", record.RootElement.GetProperty("fields").GetProperty("address").GetString());
        }

        using (var record = await GetJsonAsync($"/api/registers/contacts/records/{contactRecord}"))
        {
            Assert.Equal("Uusitie 2, Lieto", record.RootElement.GetProperty("fields").GetProperty("address").GetString());
        }

        using (var record = await GetJsonAsync($"/api/registers/web-users/records/{untouched}"))
        {
            Assert.Equal("kalle", record.RootElement.GetProperty("fields").GetProperty("username").GetString());
            Assert.False(record.RootElement.GetProperty("fields").TryGetProperty("email", out _));
        }

        using (var copies = await GatewayCalls.GetJsonAsync(accountingFirm, $"/api/client-records?subject={subjectId}"))
        {
            // The firm's API masks addresses: the first letter tells the corrected one ("corrected-…") from the old ("rectify-…").
            Assert.All(copies.RootElement.EnumerateArray(), c => Assert.Equal("c***@example.fi", c.GetProperty("email").GetString()));
        }

        using var answer = await GetJsonAsync($"{requestPath}/answer?lang=en");
        var outcomes = answer.RootElement.GetProperty("registers").EnumerateArray()
            .ToDictionary(r => r.GetProperty("register").GetString()!, r => r.GetProperty("outcome").GetString());
        Assert.Equal("rectified", outcomes["customers"]);
        Assert.Equal("rectified", outcomes["contacts"]);
        Assert.Equal("nothing-to-rectify", outcomes["web-users"]);
        Assert.Contains("ccounting firm", answer.RootElement.GetProperty("text").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Objection_to_direct_marketing_stops_it_at_once_and_leaves_a_suppression_entry()
    {
        var email = $"objection-{Guid.NewGuid():N}@example.fi";
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Olli Oikarinen", email });
        await platform.Gateway.AddRecordAsync("marketing", subjectId, "direct-marketing", new() { ["newsletter"] = "weekly" });
        await platform.Gateway.AddRecordAsync("customers", subjectId, "customer-contract", new() { ["order"] = "Tilaus 9" });

        using var received = await platform.Gateway.PostAsJsonAsync("/api/requests", new { type = "objection", subject = new { email }, channel = "email" });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;
        using (var unknown = await platform.Gateway.PutAsJsonAsync($"{requestPath}/particulars", new { objection = "everything" }))
        {
            await AssertProblemAsync(unknown, HttpStatusCode.BadRequest, "objection");
        }

        using (var particulars = await platform.Gateway.PutAsJsonAsync($"{requestPath}/particulars", new { objection = "direct-marketing" }))
        {
            await AssertStatusAsync(particulars, HttpStatusCode.OK);
        }

        using (var verified = await platform.Gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-known-contact" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        await platform.Gateway.WaitForCompletionAsync(requestPath, s_completion);

        using (var records = await GetJsonAsync($"/api/subjects/{subjectId}/records"))
        {
            // Marketing is gone; the customer relationship is not what was objected to.
            Assert.Equal(["customers"], records.RootElement.GetProperty("registers").EnumerateArray().Select(r => r.GetProperty("register").GetString()));
        }

        using (var again = await platform.Gateway.PostAsJsonAsync("/api/registers/marketing/records", new { subjectId, category = "direct-marketing", fields = new { newsletter = "yes" } }))
        {
            await AssertProblemAsync(again, HttpStatusCode.Conflict, "Art 21(3)");
        }

        using var answer = await GetJsonAsync($"{requestPath}/answer?lang=en");
        var marketing = Assert.Single(answer.RootElement.GetProperty("registers").EnumerateArray());
        Assert.Equal("suppressed", marketing.GetProperty("outcome").GetString());
        Assert.Contains("suppression entry", answer.RootElement.GetProperty("text").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Objection_to_legitimate_interest_runs_nothing_until_decided_and_upheld_restricts_only_that_processing()
    {
        var email = $"objection-li-{Guid.NewGuid():N}@example.fi";
        var subjectId = await platform.Gateway.CreateSubjectAsync(new { name = "Liisa Lindqvist", email });
        var contact = await platform.Gateway.AddRecordAsync("contacts", subjectId, "basic-data", new() { ["channel"] = "phone" });
        var order = await platform.Gateway.AddRecordAsync("customers", subjectId, "customer-contract", new() { ["order"] = "Tilaus 12" });

        using var received = await platform.Gateway.PostAsJsonAsync("/api/requests", new { type = "objection", subject = new { email }, channel = "letter" });
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;
        using (var particulars = await platform.Gateway.PutAsJsonAsync($"{requestPath}/particulars", new { objection = "legitimate-interest" }))
        {
            await AssertStatusAsync(particulars, HttpStatusCode.OK);
        }

        using (var verified = await platform.Gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "signed-letter" }))
        {
            await AssertStatusAsync(verified, HttpStatusCode.OK);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        using (var waiting = await platform.Gateway.GetAsync(new Uri($"{requestPath}/answer", UriKind.Relative)))
        {
            await AssertProblemAsync(waiting, HttpStatusCode.Conflict, "decision on the objection");
        }

        using (var noReason = await platform.Gateway.PostAsJsonAsync($"{requestPath}/objection-decision", new { upheld = true }))
        {
            await AssertProblemAsync(noReason, HttpStatusCode.BadRequest, "reason");
        }

        using (var decided = await platform.Gateway.PostAsJsonAsync($"{requestPath}/objection-decision",
            new { upheld = true, reason = "No compelling legitimate grounds override the subject's interests." }))
        {
            await AssertStatusAsync(decided, HttpStatusCode.OK);
        }

        await platform.Gateway.WaitForCompletionAsync(requestPath, s_completion);
        using (var record = await GetJsonAsync($"/api/registers/contacts/records/{contact}"))
        {
            Assert.Equal("restricted", record.RootElement.GetProperty("state").GetString());
        }

        using (var record = await GetJsonAsync($"/api/registers/customers/records/{order}"))
        {
            Assert.Equal("active", record.RootElement.GetProperty("state").GetString());
        }

        using var answer = await GetJsonAsync($"{requestPath}/answer?lang=en");
        Assert.Contains("No compelling legitimate grounds", answer.RootElement.GetProperty("text").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_for_a_subject_we_do_not_hold_is_answered_we_hold_no_data_on_you()
    {
        var requestPath = await VerifiedRequestAsync(new { type = "access", subject = new { email = $"nobody-{Guid.NewGuid():N}@example.fi" }, channel = "web-form" });
        using var status = await platform.Gateway.WaitForCompletionAsync(requestPath, s_completion);
        Assert.Equal(10, status.RootElement.GetProperty("registers").GetArrayLength());
        Assert.All(status.RootElement.GetProperty("registers").EnumerateArray(), r => Assert.Equal("not-held", r.GetProperty("outcome").GetString()));

        using var answerEn = await GetJsonAsync($"{requestPath}/answer?lang=en");
        Assert.False(answerEn.RootElement.GetProperty("holdsData").GetBoolean());
        Assert.Contains("We hold no data on you", answerEn.RootElement.GetProperty("text").GetString()!, StringComparison.Ordinal);
        using var answerFi = await GetJsonAsync($"{requestPath}/answer?lang=fi");
        Assert.Contains("Emme käsittele sinua koskevia henkilötietoja", answerFi.RootElement.GetProperty("text").GetString()!, StringComparison.Ordinal);
    }

    private async Task<string> VerifiedRequestAsync(object request)
    {
        using var received = await platform.Gateway.PostAsJsonAsync("/api/requests", request);
        await AssertStatusAsync(received, HttpStatusCode.Created);
        var requestPath = received.Headers.Location!.OriginalString;
        using var verified = await platform.Gateway.PostAsJsonAsync($"{requestPath}/verification", new { method = "staff-id-document" });
        await AssertStatusAsync(verified, HttpStatusCode.OK);
        return requestPath;
    }

    private Task<JsonDocument> GetJsonAsync(string path) => GatewayCalls.GetJsonAsync(platform.Gateway, path);

    // The export as a client reads it: parsed with System.Text.Json into the client's own types.
    private sealed record ExportDoc(
        Guid RequestId, string Type, NamedAddress Controller, List<IdentifiersDoc> Identifiers, List<RegisterDoc> Registers, ComplaintDoc Complaint);

    private sealed record NamedAddress(string Name, string Address);

    private sealed record IdentifiersDoc(string? Name, string? Email, string? Phone, string? PersonalIdentityCode);

    private sealed record RegisterDoc(string Register, Texts Name, string Outcome, ProcessingDoc? Processing, List<RecordDoc> Records);

    private sealed record RecordDoc(
        Guid RecordId, string Category, string LegalBasis, string State, DateOnly RecordedOn, Dictionary<string, string> Fields, string? RetentionRule);

    private sealed record ProcessingDoc(List<PurposeDoc> Purposes, List<string> LegalBases, List<CategoryDoc> Categories, List<Texts> Sources, Texts Retention, List<string> Recipients);

    private sealed record PurposeDoc(string LegalBasis, Texts Text);

    private sealed record CategoryDoc(string Category, Texts Name, string LegalBasis);

    private sealed record ComplaintDoc(Texts Authority, string Address, string Web);

    private sealed record Texts(string Fi, string En);

    private sealed record CsvRecordRow(string Register, Guid RecordId, string Category, string LegalBasis, string RecordedOn, string Field, string Value);
}
