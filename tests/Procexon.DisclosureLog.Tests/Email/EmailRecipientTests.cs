using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Contracts;
using Procexon.DisclosureLog.Apis;
using Procexon.DisclosureLog.Infrastructure;
using Procexon.DisclosureLog.IntegrationEvents;
using Procexon.DisclosureLog.Model;
using Procexon.Messaging.Database;
using Procexon.Messaging.Outbox;
using Procexon.Testing;

namespace Procexon.DisclosureLog.Tests.Email;

/// <summary>The auditor, an e-mail recipient: its notices mailed over real SMTP, confirmed by the link in the mail.</summary>
[Collection(EmailCollection.Name)]
public sealed partial class EmailRecipientTests(EmailFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_notice_is_mailed_in_finnish_and_english_with_a_link_derived_from_its_id_and_nothing_of_the_link_is_kept()
    {
        var (requestId, subject, noticeId) = await NotifyOfErasureAsync();

        var mail = await MailOfAsync(noticeId);
        Assert.Equal([EmailFixture.Address], mail.Recipients);
        Assert.Equal("tietosuoja@procexon.example", mail.From);
        Assert.Equal("Poistoilmoitus / Erasure notice", mail.Subject);
        Assert.Contains("Vahvista poisto:", mail.Body, StringComparison.Ordinal);
        Assert.Contains("Confirm the erasure:", mail.Body, StringComparison.Ordinal);
        Assert.Contains(requestId.ToString(), mail.Body, StringComparison.Ordinal);
        Assert.Contains(subject.ToString(), mail.Body, StringComparison.Ordinal);
        var (path, token) = LinkIn(mail, noticeId);
        Assert.True(Base64UrlLength(token) >= 32, "256 bits");
        // Derived from the notice's id under DisclosureLog's key: the link a retry would mail is this one.
        Assert.Equal(Tokens.For(noticeId), token);

        // Once mailed, the row keeps no body and nothing of the link: the token is only in the mail.
        var delivery = await DeliveredAsync(noticeId);
        Assert.Equal(RecipientChannels.Email, delivery.Channel);
        Assert.Equal("", delivery.Body);
        Assert.Null(delivery.ConfirmationTokenHash);
        Assert.StartsWith("/api/disclosures/notifications/", path, StringComparison.Ordinal);

        // The address is encrypted at rest.
        var stored = await fixture.InDisclosureLogAsync(db => db.Database
            .SqlQuery<byte[]>($"SELECT email_address_encrypted AS \"Value\" FROM recipients WHERE slug = {EmailFixture.Recipient}").SingleAsync());
        Assert.DoesNotContain(EmailFixture.Address, System.Text.Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_links_GET_only_shows_a_button_and_its_POST_confirms_once_announcing_it_once()
    {
        var (requestId, _, noticeId) = await NotifyOfErasureAsync();
        var (path, token) = LinkIn(await MailOfAsync(noticeId), noticeId);

        // A mail scanner following the link changes nothing.
        for (var i = 0; i < 2; i++)
        {
            using var page = await fixture.Anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
            Assert.Contains("form-action 'self'", string.Join(";", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
            Assert.Contains(token, html, StringComparison.Ordinal);
        }

        Assert.Null((await NoticeAsync(noticeId)).ConfirmedAt);

        using var confirmed = await PostAsync(noticeId, token);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var notice = await NoticeAsync(noticeId);
        Assert.NotNull(notice.ConfirmedAt);
        Assert.Equal(EmailConfirmationApi.ConfirmedBy, notice.ConfirmedBy);

        // Used: a second click, or the GET again, is 410 and changes nothing.
        using var again = await PostAsync(noticeId, token);
        await AssertProblemAsync(again, HttpStatusCode.Gone);
        using var shownAgain = await fixture.Anonymous.GetAsync(new Uri(path, UriKind.Relative));
        await AssertProblemAsync(shownAgain, HttpStatusCode.Gone);
        Assert.Equal(notice.ConfirmedAt, (await NoticeAsync(noticeId)).ConfirmedAt);
        Assert.Equal(1, await AnnouncementsAsync(requestId));
    }

    [Fact]
    public async Task A_wrong_token_an_unknown_notice_or_an_expired_link_is_a_problem_and_changes_nothing()
    {
        var (requestId, _, noticeId) = await NotifyOfErasureAsync();
        var (_, token) = LinkIn(await MailOfAsync(noticeId), noticeId);

        using (var wrong = await PostAsync(noticeId, token[..^2] + (token[^2..] == "AA" ? "BB" : "AA")))
        {
            await AssertProblemAsync(wrong, HttpStatusCode.NotFound);
        }

        using (var unknown = await PostAsync(Guid.CreateVersion7(), token))
        {
            await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        }

        // Single-purpose: another notice's valid link does not confirm this one.
        var (_, _, otherId) = await NotifyOfErasureAsync();
        using (var foreign = await PostAsync(noticeId, Tokens.For(otherId)))
        {
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        }

        using (var missing = await fixture.Anonymous.GetAsync(new Uri(EmailNoticeSender.LinkPath(noticeId), UriKind.Relative)))
        {
            await AssertProblemAsync(missing, HttpStatusCode.BadRequest);
        }

        using (var notAForm = await fixture.Anonymous.PostAsync(new Uri(EmailNoticeSender.LinkPath(noticeId), UriKind.Relative),
            new StringContent($"{{\"token\":\"{token}\"}}", System.Text.Encoding.UTF8, "application/json")))
        {
            await AssertProblemAsync(notAForm, HttpStatusCode.BadRequest);
        }

        Assert.Null((await NoticeAsync(noticeId)).ConfirmedAt);
        Assert.Equal(0, await AnnouncementsAsync(requestId));

        // A link mailed longer ago than the give-up period (1 h here) no longer confirms: a derived one, and one an earlier
        // version mailed with a random token whose hash it kept (which otherwise still verifies).
        async Task<Guid> MailedLongAgoAsync(byte[]? tokenHash) => await fixture.InDisclosureLogAsync(async db =>
        {
            var sent = DateTimeOffset.UtcNow.AddHours(-2).ToMicroseconds();
            var id = Guid.CreateVersion7();
            db.ErasureNotifications.Add(new ErasureNotification
            {
                Id = id,
                RequestId = Guid.CreateVersion7(),
                Recipient = EmailFixture.Recipient,
                SubjectIds = [Guid.CreateVersion7()],
                Categories = ["basic-data"],
                SentAt = sent,
                ConfirmBy = sent.AddDays(7),
            });
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                Id = id,
                Recipient = EmailFixture.Recipient,
                Channel = RecipientChannels.Email,
                Type = WebhookEventTypes.ErasureNotice,
                Body = "",
                CreatedAt = sent,
                NextAttemptAt = sent,
                DeliveredAt = sent,
                ConfirmationTokenHash = tokenHash,
            });
            await db.SaveChangesAsync();
            return id;
        });
        var expiredId = await MailedLongAgoAsync(null);
        using (var expired = await PostAsync(expiredId, Tokens.For(expiredId)))
        {
            await AssertProblemAsync(expired, HttpStatusCode.Gone);
        }

        const string legacyToken = "expired-token-0123456789abcdef";
        var legacyId = await MailedLongAgoAsync(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(legacyToken)));
        using (var legacy = await PostAsync(legacyId, legacyToken))
        {
            await AssertProblemAsync(legacy, HttpStatusCode.Gone);
        }

        Assert.Null((await NoticeAsync(expiredId)).ConfirmedAt);
        Assert.Null((await NoticeAsync(legacyId)).ConfirmedAt);
    }

    [Fact]
    public async Task Smtp_server_down_then_up_gets_the_notice_mailed_once()
    {
        await fixture.Smtp.StopAsync();
        Guid noticeId;
        try
        {
            (_, _, noticeId) = await NotifyOfErasureAsync();
            Assert.True(await Eventually.EventuallyAsync(async () => await FailedAttemptsAsync(noticeId) >= 1, Patience));
        }
        finally
        {
            await fixture.Smtp.StartAgainAsync();
        }

        await DeliveredAsync(noticeId);
        await MailOfAsync(noticeId);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(fixture.Smtp.Mailbox.All(), m => m.Body.Contains(noticeId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rectification_notice_is_mailed_with_its_corrections_and_its_link_announces_the_rectification()
    {
        var subject = Guid.CreateVersion7();
        var requestId = Guid.CreateVersion7();
        var noticeId = await fixture.InDisclosureLogAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow.ToMicroseconds();
            db.Disclosures.Add(new Disclosure
            {
                Id = Guid.CreateVersion7(),
                Recipient = EmailFixture.Recipient,
                SubjectId = subject,
                Categories = ["basic-data"],
                LegalBasis = "legal-obligation",
                DisclosedAt = now,
            });
            await db.SaveChangesAsync();
            FieldCorrection[] corrections = [new("name", "Uusi Nimi")];
            await RecipientNoticePipeline.NotifyAsync(db, new EventOutbox<DisclosureLogContext>(db, TimeProvider.System), requestId, [subject], now,
                TimeSpan.FromDays(7), EmailFixture.Schemas,
                draft => new RectificationNotification
                {
                    Id = draft.Id,
                    RequestId = draft.RequestId,
                    Recipient = draft.Recipient.Slug,
                    SubjectIds = draft.SubjectIds,
                    Fields = ["name"],
                    SentAt = draft.SentAt,
                    ConfirmBy = draft.ConfirmBy,
                },
                notice => new RectificationNoticeSent(notice.Id, notice.RequestId, notice.Recipient, notice.SubjectIds, corrections),
                default);
            await db.SaveChangesAsync();
            return await db.RectificationNotifications.Where(n => n.RequestId == requestId).Select(n => n.Id).SingleAsync();
        });

        var mail = await MailOfAsync(noticeId);
        Assert.Equal("Oikaisuilmoitus / Rectification notice", mail.Subject);
        Assert.Contains("name: Uusi Nimi", mail.Body, StringComparison.Ordinal);
        var (_, token) = LinkIn(mail, noticeId);

        using var confirmed = await PostAsync(noticeId, token);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var notice = await fixture.InDisclosureLogAsync(db => db.RectificationNotifications.AsNoTracking().SingleAsync(n => n.Id == noticeId));
        Assert.Equal(EmailConfirmationApi.ConfirmedBy, notice.ConfirmedBy);
        Assert.Equal(1, (await fixture.InDisclosureLogAsync(db => db.Set<OutboxMessage>()
            .Where(m => m.MessageType.Contains(nameof(RecipientConfirmedRectification))).Select(m => m.Payload!).ToListAsync()))
            .Count(payload => payload.Contains(requestId.ToString(), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_restriction_and_its_lifting_are_mailed_each_with_its_text_and_each_link_confirms_its_own_notice()
    {
        var subject = Guid.CreateVersion7();
        var requestId = Guid.CreateVersion7();
        async Task<Guid> NotifyAsync(string kind) => await fixture.InDisclosureLogAsync(async db =>
        {
            await RestrictionNotices.NotifyAsync(db, new EventOutbox<DisclosureLogContext>(db, TimeProvider.System), kind, requestId, [subject],
                kind == RecipientNoticeKinds.Restriction ? null : new Dictionary<string, List<string>> { [EmailFixture.Recipient] = ["basic-data"] }, DateTimeOffset.UtcNow.ToMicroseconds(), TimeSpan.FromDays(7),
                EmailFixture.Schemas, default);
            await db.SaveChangesAsync();
            return await db.RestrictionNotifications.Where(n => n.RequestId == requestId && n.Kind == kind).Select(n => n.Id).SingleAsync();
        });
        await fixture.InDisclosureLogAsync(async db =>
        {
            db.Disclosures.Add(new Disclosure
            {
                Id = Guid.CreateVersion7(),
                Recipient = EmailFixture.Recipient,
                SubjectId = subject,
                Categories = ["basic-data"],
                LegalBasis = "legal-obligation",
                DisclosedAt = DateTimeOffset.UtcNow.ToMicroseconds(),
            });
            return await db.SaveChangesAsync();
        });

        var restrictionId = await NotifyAsync(RecipientNoticeKinds.Restriction);
        var restriction = await MailOfAsync(restrictionId);
        var liftingId = await NotifyAsync(RecipientNoticeKinds.RestrictionLifted);
        var lifting = await MailOfAsync(liftingId);

        Assert.Equal("Käsittelyn rajoittaminen / Restriction notice", restriction.Subject);
        Assert.Contains("Rajoitetut tietoryhmät: basic-data", restriction.Body, StringComparison.Ordinal);
        Assert.Contains("Confirm the restriction:", restriction.Body, StringComparison.Ordinal);
        Assert.Equal("Rajoitus poistettu / Restriction lifted", lifting.Subject);
        Assert.Contains("is lifted (GDPR Articles 18(3)", lifting.Body, StringComparison.Ordinal);
        Assert.Contains(requestId.ToString(), lifting.Body, StringComparison.Ordinal);
        var (_, restrictionToken) = LinkIn(restriction, restrictionId);
        var (liftingPath, liftingToken) = LinkIn(lifting, liftingId);

        // The restriction's link does not confirm the lifting, nor the lifting's the restriction.
        using (var crossed = await PostAsync(liftingId, restrictionToken))
        {
            await AssertProblemAsync(crossed, HttpStatusCode.NotFound);
        }

        using (var crossed = await PostAsync(restrictionId, liftingToken))
        {
            await AssertProblemAsync(crossed, HttpStatusCode.NotFound);
        }

        using (var page = await fixture.Anonymous.GetAsync(new Uri(liftingPath, UriKind.Relative)))
        {
            Assert.Contains("release of the restriction", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var confirmed = await PostAsync(restrictionId, restrictionToken))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        using (var confirmed = await PostAsync(liftingId, liftingToken))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        var notices = await fixture.InDisclosureLogAsync(db => db.RestrictionNotifications.AsNoTracking().Where(n => n.RequestId == requestId).ToListAsync());
        Assert.All(notices, n => Assert.Equal(EmailConfirmationApi.ConfirmedBy, n.ConfirmedBy));
        var announced = (await fixture.InDisclosureLogAsync(db => db.Set<OutboxMessage>()
            .Where(m => m.MessageType.Contains(nameof(RecipientConfirmedNotice))).Select(m => m.Payload!).ToListAsync()))
            .Where(payload => payload.Contains(requestId.ToString(), StringComparison.Ordinal)).ToList();
        Assert.Equal(2, announced.Count);
        Assert.Single(announced, p => p.Contains("\"restriction-lifted\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_notice_waiting_for_a_dead_webhook_is_mailed_once_the_privacy_officer_moves_the_recipient_to_email()
    {
        const string recipient = "transport-company";
        var address = $"{Guid.NewGuid():N}@transport.example";
        // A webhook nobody answers: the notice waits, retried.
        Assert.IsType<Ok<RecipientChannelDto>>((await SetChannelAsync(recipient, new SetChannelBody(RecipientChannels.Webhook, "http://127.0.0.1:9/notices", null))).Result);
        try
        {
            var (requestId, _, noticeId) = await NotifyOfErasureAsync(recipient);
            // The recipient's line starts with the disclosure itself, tried and failing; the notice waits behind it.
            Assert.True(await Eventually.EventuallyAsync(() => fixture.InDisclosureLogAsync(db => db.WebhookDeliveries.AsNoTracking()
                .AnyAsync(d => d.Recipient == recipient && d.Type == WebhookEventTypes.Disclosure && d.Attempts >= 1 && d.DeliveredAt == null)), Patience),
                "The webhook was never tried.");

            Assert.IsType<Ok<RecipientChannelDto>>((await SetChannelAsync(recipient, new SetChannelBody(RecipientChannels.Email, null, address))).Result);

            // The same notice (its id, its request) arrives by mail, with a link that confirms it.
            var mail = await MailOfAsync(noticeId);
            Assert.Equal([address], mail.Recipients);
            Assert.Contains(requestId.ToString(), mail.Body, StringComparison.Ordinal);
            var delivery = await DeliveredAsync(noticeId);
            Assert.Equal(RecipientChannels.Email, delivery.Channel);
            var (_, token) = LinkIn(mail, noticeId);
            using var confirmed = await PostAsync(noticeId, token);
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

            // The disclosure, which no mail carries, ended at the change instead of holding the notice back.
            var disclosure = await fixture.InDisclosureLogAsync(db => db.WebhookDeliveries.AsNoTracking()
                .SingleAsync(d => d.Recipient == recipient && d.Type == WebhookEventTypes.Disclosure && d.CreatedAt == delivery.CreatedAt));
            Assert.Equal((RecipientChannels.Webhook, (DateTimeOffset?)null), (disclosure.Channel, disclosure.DeliveredAt));
            Assert.NotNull(disclosure.GaveUpAt);
        }
        finally
        {
            await SetChannelAsync(recipient, new SetChannelBody(RecipientChannels.Staff, null, null));
        }
    }

    private Task<Results<Ok<RecipientChannelDto>, ValidationProblem, ProblemHttpResult>> SetChannelAsync(string recipient, SetChannelBody body) =>
        fixture.InDisclosureLogAsync(async db => await RecipientChannelsApi.SetChannel(recipient, body, DisclosureLogFixture.Staff,
            new DefaultHttpContext(), db, fixture.DisclosureLog.Services, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<RecipientChannelChange>.Instance, default));

    /// <summary>A subject disclosed to a recipient (the auditor unless named), then an erasure notice to it written by the one pipeline.</summary>
    private Task<(Guid RequestId, Guid Subject, Guid NoticeId)> NotifyOfErasureAsync(string slug = EmailFixture.Recipient) => fixture.InDisclosureLogAsync(async db =>
    {
        var subject = Guid.CreateVersion7();
        var requestId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow.ToMicroseconds();
        var recipient = await db.Recipients.AsNoTracking().SingleAsync(r => r.Slug == slug);
        var outbox = new EventOutbox<DisclosureLogContext>(db, TimeProvider.System);
        db.Disclosures.Add(new Disclosure
        {
            Id = Guid.CreateVersion7(),
            Recipient = slug,
            SubjectId = subject,
            Categories = ["basic-data"],
            LegalBasis = "legal-obligation",
            DisclosedAt = now,
        });
        outbox.SendTo(db, recipient, new DataDisclosed(Guid.CreateVersion7(), slug, subject,
            new SubjectKeys(Email: "someone@example.fi"), ["basic-data"], "legal-obligation"), now, EmailFixture.Schemas);
        await db.SaveChangesAsync();

        await NotifyRecipientsOfErasure.NotifyAsync(db, outbox, new ErasureScopeResolved(requestId, [subject], [], []), now, TimeSpan.FromDays(7), EmailFixture.Schemas, default);
        await db.SaveChangesAsync();
        var noticeId = await db.ErasureNotifications.Where(n => n.RequestId == requestId).Select(n => n.Id).SingleAsync();
        // The notice's delivery, and the disclosure's own for a webhook recipient (a mail is never sent for a disclosure).
        Assert.Equal(recipient.Channel == RecipientChannels.Email ? 1 : 2, await db.WebhookDeliveries.CountAsync(d => d.Recipient == slug && d.CreatedAt == now));
        return (requestId, subject, noticeId);
    });

    private async Task<ReceivedMail> MailOfAsync(Guid noticeId)
    {
        ReceivedMail? mail = null;
        Assert.True(await Eventually.EventuallyAsync(
            () => (mail = fixture.Smtp.Mailbox.All().FirstOrDefault(m => m.Body.Contains(noticeId.ToString(), StringComparison.Ordinal))) is not null, Patience),
            $"No mail for notice {noticeId} in {fixture.Smtp.Mailbox.Directory}");
        // No waiting for anything after the mail: its link works the moment it is in the mailbox.
        return mail!;
    }

    /// <summary>
    /// The notice's delivery once it is recorded as delivered: the sender mails, then commits, so the mail can be in the
    /// mailbox before the row says so.
    /// </summary>
    private async Task<WebhookDelivery> DeliveredAsync(Guid noticeId)
    {
        Assert.True(await Eventually.EventuallyAsync(() => fixture.InDisclosureLogAsync(db =>
            db.WebhookDeliveries.AnyAsync(d => d.Id == noticeId && d.DeliveredAt != null)), Patience), $"Notice {noticeId} was never recorded as delivered.");
        return await fixture.InDisclosureLogAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == noticeId));
    }

    /// <summary>The link's path and query (its host is the made-up public address) and its token.</summary>
    private static (string Path, string Token) LinkIn(ReceivedMail mail, Guid noticeId)
    {
        var match = Link().Match(mail.Body);
        Assert.True(match.Success, "the mail has a confirmation link");
        Assert.Equal(EmailFixture.PublicAddress, match.Groups["origin"].Value);
        Assert.Equal(EmailNoticeSender.LinkPath(noticeId), match.Groups["path"].Value);
        return ($"{match.Groups["path"].Value}?token={match.Groups["token"].Value}", match.Groups["token"].Value);
    }

    private Task<HttpResponseMessage> PostAsync(Guid noticeId, string token) =>
        fixture.Anonymous.PostAsync(new Uri(EmailNoticeSender.LinkPath(noticeId), UriKind.Relative),
            new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]));

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"token\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private EmailLinkTokens Tokens => fixture.DisclosureLog.Services.GetRequiredService<EmailLinkTokens>();

    private Task<ErasureNotification> NoticeAsync(Guid id) =>
        fixture.InDisclosureLogAsync(db => db.ErasureNotifications.AsNoTracking().SingleAsync(n => n.Id == id));

    // The payload is jsonb: read the few announcements and look in them here.
    private async Task<int> AnnouncementsAsync(Guid requestId) => (await fixture.InDisclosureLogAsync(db => db.Set<OutboxMessage>()
        .Where(m => m.MessageType.Contains(nameof(RecipientConfirmedErasure))).Select(m => m.Payload!).ToListAsync()))
        .Count(payload => payload.Contains(requestId.ToString(), StringComparison.Ordinal));

    private Task<int> FailedAttemptsAsync(Guid deliveryId) =>
        fixture.InDisclosureLogAsync(db => db.WebhookDeliveryAttempts.CountAsync(a => a.DeliveryId == deliveryId && !a.Succeeded));

    private static int Base64UrlLength(string token) => token.Length * 3 / 4;

    [GeneratedRegex(@"(?<origin>https://[^/\s]+)(?<path>/api/disclosures/notifications/[0-9a-f-]{36}/confirmation-link)\?token=(?<token>[A-Za-z0-9_-]+)")]
    private static partial Regex Link();
}
