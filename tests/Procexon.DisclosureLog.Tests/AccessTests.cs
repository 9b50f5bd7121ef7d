using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Procexon.Contracts;
using Procexon.DisclosureLog.Model;
using Procexon.ServiceDefaults.Security;

namespace Procexon.DisclosureLog.Tests;

/// <summary>Who may read and write the disclosure log and its notices, through HTTP with the identity provider's tokens.</summary>
[Collection(DisclosureLogCollection.Name)]
public sealed class AccessTests(DisclosureLogFixture fixture)
{
    private const string FirmRecipient = "accounting-firm";

    // The processor tokens the identity provider issues name this firm; the other processor's notices are the web shop's IT company's.
    private const string OtherRecipient = "website-it-company";

    [Theory]
    [InlineData("/api/recipients")]
    [InlineData("/api/disclosures?subject=0193a3c0-0000-7000-8000-000000000001")]
    [InlineData("/api/disclosures/notifications")]
    [InlineData("/api/rectification-notifications")]
    public async Task Reading_without_a_token_is_an_unauthorized_problem(string path)
    {
        using var anonymous = DisclosureLogFixture.ClientOf(fixture.DisclosureLog);

        using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Health_answers_without_a_token()
    {
        using var anonymous = DisclosureLogFixture.ClientOf(fixture.DisclosureLog);

        using var response = await anonymous.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_auditor_reads_the_log_but_may_not_record_a_disclosure_or_confirm_a_notice()
    {
        var subjectId = Guid.NewGuid();
        var (notice, _) = await AddNoticeAsync(FirmRecipient, "erasure");
        using var auditor = fixture.DisclosureLogClient(PlatformRoles.Auditor);

        using var recorded = await auditor.PostAsJsonAsync(new Uri("/api/disclosures", UriKind.Relative), DisclosureTo("finago", subjectId));
        using var confirmed = await auditor.PostAsJsonAsync(
            new Uri($"/api/disclosures/notifications/{notice}/confirmation", UriKind.Relative), new { detail = "Erased" });
        using var listed = await auditor.GetAsync(new Uri($"/api/disclosures?subject={subjectId}", UriKind.Relative));
        using var notices = await auditor.GetAsync(new Uri("/api/disclosures/notifications", UriKind.Relative));

        await AssertProblemAsync(recorded, HttpStatusCode.Forbidden);
        await AssertProblemAsync(confirmed, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Empty((await listed.Content.ReadFromJsonAsync<JsonElement[]>())!);
        Assert.Equal(HttpStatusCode.OK, notices.StatusCode);
        Assert.Null((await NoticeAsync(notice, "erasure")).ConfirmedAt);
    }

    [Fact]
    public async Task A_register_admin_records_a_disclosure_and_a_privacy_officer_reads_it()
    {
        var subjectId = Guid.NewGuid();
        using var admin = fixture.DisclosureLogClient(PlatformRoles.RegisterAdmin);
        using var officer = fixture.DisclosureLogClient(PlatformRoles.PrivacyOfficer);

        using var recorded = await admin.PostAsJsonAsync(new Uri("/api/disclosures", UriKind.Relative), DisclosureTo("finago", subjectId));
        var listed = await officer.GetFromJsonAsync<JsonElement[]>(new Uri($"/api/disclosures?subject={subjectId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        Assert.Equal("finago", Assert.Single(listed!).GetProperty("recipientId").GetString());
    }

    [Fact]
    public async Task A_processor_may_not_read_the_disclosure_log_or_the_recipients()
    {
        using var processor = fixture.ProcessorClient(FirmRecipient);

        using var recipients = await processor.GetAsync(new Uri("/api/recipients", UriKind.Relative));
        using var disclosures = await processor.GetAsync(new Uri($"/api/disclosures?subject={Guid.NewGuid()}", UriKind.Relative));

        await AssertProblemAsync(recipients, HttpStatusCode.Forbidden);
        await AssertProblemAsync(disclosures, HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("erasure")]
    [InlineData("rectification")]
    public async Task A_processor_lists_only_its_own_recipients_notices_while_staff_see_all(string kind)
    {
        var own = await AddNoticeAsync(FirmRecipient, kind);
        var others = await AddNoticeAsync(OtherRecipient, kind);
        using var processor = fixture.ProcessorClient(FirmRecipient);
        using var auditor = fixture.DisclosureLogClient(PlatformRoles.Auditor);

        var seen = await processor.GetFromJsonAsync<JsonElement[]>(new Uri(ListPath(kind), UriKind.Relative));
        var seenByRequest = await processor.GetFromJsonAsync<JsonElement[]>(new Uri($"{ListPath(kind)}?request={others.RequestId}", UriKind.Relative));
        var seenByStaff = await auditor.GetFromJsonAsync<JsonElement[]>(new Uri(ListPath(kind), UriKind.Relative));

        Assert.Contains(seen!, n => n.GetProperty("id").GetGuid() == own.Id);
        Assert.All(seen!, n => Assert.Equal(FirmRecipient, n.GetProperty("recipient").GetString()));
        Assert.Empty(seenByRequest!);
        Assert.Contains(seenByStaff!, n => n.GetProperty("id").GetGuid() == others.Id);
        Assert.Contains(seenByStaff!, n => n.GetProperty("id").GetGuid() == own.Id);
    }

    [Theory]
    [InlineData("erasure")]
    [InlineData("rectification")]
    public async Task A_processor_confirming_another_recipients_notice_finds_nothing_and_changes_nothing(string kind)
    {
        var others = await AddNoticeAsync(OtherRecipient, kind);
        var unknown = Guid.NewGuid();
        using var processor = fixture.ProcessorClient(FirmRecipient);

        using var response = await processor.PostAsJsonAsync(ConfirmPath(kind, others.Id), new { detail = "Erased everything" });
        using var missing = await processor.PostAsJsonAsync(ConfirmPath(kind, unknown), new { detail = "Erased everything" });

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        var missingProblem = await AssertProblemAsync(missing, HttpStatusCode.NotFound);
        // The same answer as for a notice that does not exist: nothing about the other recipient.
        Assert.Equal(missingProblem.GetProperty("title").GetString(), problem.GetProperty("title").GetString());
        Assert.DoesNotContain(OtherRecipient, problem.ToString(), StringComparison.Ordinal);
        var stored = await NoticeAsync(others.Id, kind);
        Assert.Null(stored.ConfirmedAt);
        Assert.Null(stored.ConfirmedBy);
        Assert.Null(stored.Detail);
    }

    [Theory]
    [InlineData("erasure")]
    [InlineData("rectification")]
    public async Task Staff_confirm_another_recipients_notice_as_the_tokens_user_whoever_the_body_names(string kind)
    {
        var others = await AddNoticeAsync(OtherRecipient, kind);
        using var officer = fixture.DisclosureLogClient(PlatformRoles.PrivacyOfficer);
        var token = await fixture.Identity.AccessTokenAsync(PlatformRoles.PrivacyOfficer);

        using var response = await officer.PostAsJsonAsync(
            ConfirmPath(kind, others.Id), new { confirmedBy = "Somebody Else", detail = "Confirmed by phone" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await response.Content.ReadFromJsonAsync<JsonElement>();
        var actor = ActorOf(token);
        Assert.Contains("test-privacy-officer", actor, StringComparison.Ordinal);
        Assert.Equal(actor, shown.GetProperty("confirmedBy").GetString());
        var stored = await NoticeAsync(others.Id, kind);
        Assert.Equal(actor, stored.ConfirmedBy);
        Assert.Equal("Confirmed by phone", stored.Detail);
        Assert.NotNull(stored.ConfirmedAt);
    }

    [Theory]
    [InlineData("erasure")]
    [InlineData("rectification")]
    public async Task A_processor_confirms_its_own_notice_as_its_own_client(string kind)
    {
        var own = await AddNoticeAsync(FirmRecipient, kind);
        using var processor = fixture.ProcessorClient(FirmRecipient);
        var token = await fixture.Identity.ProcessorTokenAsync(FirmRecipient);

        using var response = await processor.PostAsJsonAsync(ConfirmPath(kind, own.Id), new { confirmedBy = "Procexon staff", detail = "Done" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await NoticeAsync(own.Id, kind);
        Assert.Equal(ActorOf(token), stored.ConfirmedBy);
        Assert.Equal("Done", stored.Detail);
        // Announced as any confirmation is, so the request can complete.
        Assert.True(await DisclosureLogFixture.EventuallyAsync(() => kind == "erasure"
            ? fixture.Captured.Of<RecipientConfirmedErasure>(e => e.RequestId == own.RequestId).Count == 1
            : fixture.Captured.Of<RecipientConfirmedRectification>(e => e.RequestId == own.RequestId).Count == 1));
    }

    [Fact]
    public async Task The_firms_client_records_answer_its_own_processor_and_staff_who_read_subjects_only()
    {
        var path = new Uri($"/api/client-records?subject={Guid.NewGuid()}", UriKind.Relative);
        using var anonymous = DisclosureLogFixture.ClientOf(fixture.AccountingFirm);
        using var firm = DisclosureLogFixture.ClientOf(fixture.AccountingFirm, () => fixture.Identity.ProcessorTokenAsync(FirmRecipient));
        using var officer = DisclosureLogFixture.ClientOf(fixture.AccountingFirm, () => fixture.Identity.AccessTokenAsync(PlatformRoles.PrivacyOfficer));
        using var auditor = DisclosureLogFixture.ClientOf(fixture.AccountingFirm, () => fixture.Identity.AccessTokenAsync(PlatformRoles.Auditor));

        using var byNobody = await anonymous.GetAsync(path);
        using var byFirm = await firm.GetAsync(path);
        using var byOfficer = await officer.GetAsync(path);
        using var byAuditor = await auditor.GetAsync(path);

        await AssertProblemAsync(byNobody, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, byFirm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byOfficer.StatusCode);
        await AssertProblemAsync(byAuditor, HttpStatusCode.Forbidden);
    }

    [Fact]
    public void Another_processors_token_may_not_read_the_firms_client_records()
    {
        var other = new ClaimsPrincipal(new ClaimsIdentity(
            [new(PlatformClaims.Subject, "test-processor-other"), new(PlatformClaims.Role, PlatformRoles.Processor), new(PlatformClaims.Recipient, OtherRecipient)],
            "test", PlatformClaims.Name, PlatformClaims.Role));
        var firm = new ClaimsPrincipal(new ClaimsIdentity(
            [new(PlatformClaims.Subject, "test-processor-firm"), new(PlatformClaims.Role, PlatformRoles.Processor), new(PlatformClaims.Recipient, FirmRecipient)],
            "test", PlatformClaims.Name, PlatformClaims.Role));

        Assert.False(Processors.AccountingFirm.Apis.ClientRecordsApi.MayRead(other));
        Assert.True(Processors.AccountingFirm.Apis.ClientRecordsApi.MayRead(firm));
    }

    private static string ListPath(string kind) => kind == "erasure" ? "/api/disclosures/notifications" : "/api/rectification-notifications";

    private static Uri ConfirmPath(string kind, Guid id) => new($"{ListPath(kind)}/{id}/confirmation", UriKind.Relative);

    private static object DisclosureTo(string recipient, Guid subjectId) => new
    {
        recipientId = recipient,
        subjectId = subjectId.ToString(),
        categories = new[] { "payroll" },
        legalBasis = "contract",
    };

    /// <summary>The caller as the service records them, read from the token the way the service reads it.</summary>
    private static string ActorOf(string token) =>
        new ClaimsPrincipal(new ClaimsIdentity(new JsonWebToken(token).Claims, "test", PlatformClaims.Name, PlatformClaims.Role)).Actor();

    private Task<(Guid Id, Guid RequestId)> AddNoticeAsync(string recipient, string kind) => fixture.InDisclosureLogAsync(async (db, _) =>
    {
        var (id, requestId, now) = (Guid.CreateVersion7(), Guid.NewGuid(), fixture.Clock.GetUtcNow());
        RecipientNotice notice = kind == "erasure"
            ? new ErasureNotification
            {
                Id = id,
                RequestId = requestId,
                Recipient = recipient,
                SubjectIds = [Guid.NewGuid()],
                Categories = ["basic-data"],
                SentAt = now,
                ConfirmBy = now.AddDays(7),
            }
            : new RectificationNotification
            {
                Id = id,
                RequestId = requestId,
                Recipient = recipient,
                SubjectIds = [Guid.NewGuid()],
                Fields = ["email"],
                SentAt = now,
                ConfirmBy = now.AddDays(7),
            };
        db.Add(notice);
        await db.SaveChangesAsync();
        return (id, requestId);
    });

    private Task<RecipientNotice> NoticeAsync(Guid id, string kind) => fixture.InDisclosureLogAsync<RecipientNotice>(async (db, _) =>
        kind == "erasure"
            ? await db.ErasureNotifications.AsNoTracking().SingleAsync(n => n.Id == id)
            : await db.RectificationNotifications.AsNoTracking().SingleAsync(n => n.Id == id));

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }
}
