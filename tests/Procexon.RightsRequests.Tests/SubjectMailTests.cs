using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Procexon.Messaging.Mail;
using Procexon.RightsRequests.Extensions;
using Procexon.RightsRequests.Infrastructure;
using Procexon.Testing;

namespace Procexon.RightsRequests.Tests;

/// <summary>Mail to subjects over SMTP, to the platform's real mail server, and what happens when that server is down.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class SubjectMailTests(LifecycleFixture fixture)
{
    [Fact]
    public async Task The_code_arrives_over_SMTP_to_the_address_the_requester_gave_with_its_subject()
    {
        var email = $"koodi-{Guid.NewGuid():N}@example.fi";
        var id = await fixture.ReceiveAsync(new { type = "erasure", subject = new { email } });
        using var telemetry = new MailTelemetry(fixture);

        using var response = await fixture.Anonymous.PostAsync(new Uri($"/api/requests/{id}/verification-code", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mail = await fixture.Mail.WaitForMailToAsync(email);
        Assert.Equal([email], mail.Recipients);
        Assert.Equal(email, mail.To);
        Assert.Equal("tietosuoja@procexon.example", mail.From);
        Assert.Equal("Vahvistuskoodi / Verification code", mail.Subject);
        Assert.Equal(id, mail.RequestId);
        Assert.Matches(@"^\d{6}$", mail.Code);
        Assert.Contains("Vahvistuskoodisi on", mail.Body, StringComparison.Ordinal);

        // One span for the send, naming the request and the server, never the address; counted as sent.
        var span = Assert.Single(telemetry.SpansOf(id));
        Assert.Equal("smtp send", span.DisplayName);
        Assert.NotEqual(ActivityStatusCode.Error, span.Status);
        Assert.Equal(fixture.Smtp.Port, span.GetTagItem("server.port"));
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains(email, StringComparison.OrdinalIgnoreCase) == true);
        Assert.Equal((1, 0), (telemetry.Sent, telemetry.Failed));
    }

    [Fact]
    public async Task A_mail_server_that_is_down_gives_a_503_problem_and_leaves_no_code_behind()
    {
        var id = await fixture.ReceiveAsync(new { type = "erasure", subject = new { email = $"down-{Guid.NewGuid():N}@example.fi" } });

        using var telemetry = new MailTelemetry(fixture);
        await fixture.Smtp.StopAsync();
        HttpResponseMessage refused;
        try
        {
            refused = await fixture.Anonymous.PostAsync(new Uri($"/api/requests/{id}/verification-code", UriKind.Relative), null);
        }
        finally
        {
            await fixture.Smtp.StartAgainAsync();
        }

        using (refused)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("The code could not be sent", problem.GetProperty("title").GetString());
            Assert.DoesNotContain("127.0.0.1", problem.ToString(), StringComparison.Ordinal);
        }

        // Nothing says a code went out: no code stored, none counted against the subject, no audit entry.
        var stored = await fixture.InScopeAsync(db => db.Requests.AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.Null(stored.VerificationCodeHash);
        Assert.Equal(0, stored.VerificationCodesSent);
        Assert.Equal(["received"], await fixture.AuditActionsAsync(id));
        Assert.Empty(fixture.MailFor(id));
        Assert.Equal(ActivityStatusCode.Error, Assert.Single(telemetry.SpansOf(id)).Status);
        Assert.Equal((0, 1), (telemetry.Sent, telemetry.Failed));

        // With the server back, the subject asks again and gets the first of their codes.
        using var again = await fixture.Anonymous.PostAsync(new Uri($"/api/requests/{id}/verification-code", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(4, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("codesLeft").GetInt32());
        Assert.NotNull(Assert.Single(fixture.MailFor(id)).Code);
    }

    [Fact]
    public async Task An_extension_stands_when_the_mail_server_is_down_and_says_the_subject_was_not_told()
    {
        var id = await fixture.ReceiveLetterAsync(LifecycleFixture.Today, email: $"ext-{Guid.NewGuid():N}@example.fi");

        await fixture.Smtp.StopAsync();
        HttpResponseMessage response;
        try
        {
            response = await fixture.Http.PostAsJsonAsync($"/api/requests/{id}/extension", new { months = 1, reason = "Many registers" });
        }
        finally
        {
            await fixture.Smtp.StartAgainAsync();
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("notice").GetProperty("sent").GetBoolean());
        }

        Assert.Equal(["received", "extended"], await fixture.AuditActionsAsync(id));
        Assert.Empty(fixture.MailFor(id));
    }

    [Theory]
    [InlineData("Endpoint=smtp://mail.example.fi:2525", null, "mail.example.fi", 2525, SecureSocketOptions.StartTls)]
    [InlineData("Endpoint=smtp://mail.example.fi", null, "mail.example.fi", 587, SecureSocketOptions.StartTls)]
    [InlineData("Endpoint=smtps://mail.example.fi;Username=platform;Password=secret", null, "mail.example.fi", 465, SecureSocketOptions.SslOnConnect)]
    [InlineData("Endpoint=smtp://127.0.0.1:25025", "None", "127.0.0.1", 25025, SecureSocketOptions.None)]
    public void The_mail_connection_string_names_the_server_and_TLS_is_on_unless_switched_off(
        string connection, string? security, string host, int port, SecureSocketOptions expected)
    {
        var settings = SmtpMailSettings.Parse(connection, Mail(("From", "Tietosuoja <tietosuoja@example.fi>"), ("Security", security)));

        Assert.Equal((host, port, expected), (settings.Host, settings.Port, settings.Security));
        Assert.Equal("tietosuoja@example.fi", settings.From.Address);
    }

    [Theory]
    [InlineData("Endpoint=http://mail.example.fi", "tietosuoja@example.fi", "Endpoint=smtp://")]
    [InlineData("Username=platform", "tietosuoja@example.fi", "Endpoint=smtp://")]
    [InlineData("Endpoint=smtp://mail.example.fi", "", "Mail:From")]
    [InlineData("Endpoint=smtp://mail.example.fi;Username=platform;Password=secret", "tietosuoja@example.fi", "Mail:Security=None", "None")]
    [InlineData("Endpoint=smtp://mail.example.fi", "tietosuoja@example.fi", "Mail:Security", "Sometimes")]
    public void A_wrong_mail_setting_stops_the_service_naming_it(string connection, string from, string named, string? security = null)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SmtpMailSettings.Parse(connection, Mail(("From", from), ("Security", security))));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_mail_server_configured_mail_to_subjects_fails_instead_of_going_anywhere()
    {
        Assert.IsType<UnconfiguredSubjectMailer>(MailerWith([]));
        Assert.IsType<SmtpSubjectMailer>(MailerWith([.. fixture.Smtp.ServiceSettings]));
    }

    private static ISubjectMailer MailerWith(KeyValuePair<string, string?>[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddRequestLifecycle();
        return builder.Build().Services.GetRequiredService<ISubjectMailer>();
    }

    private static IConfiguration Mail(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    /// <summary>The mail spans and counters of this fixture's service while it lives (tests in a collection run one at a time).</summary>
    private sealed class MailTelemetry : IDisposable
    {
        private readonly ActivityListener _spans;
        private readonly MeterListener _counters = new();
        private readonly ConcurrentBag<Activity> _stopped = [];
        private long _sent;
        private long _failed;

        public MailTelemetry(LifecycleFixture fixture)
        {
            _spans = new ActivityListener
            {
                ShouldListenTo = source => source.Name == SmtpSubjectMailer.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Add,
            };
            ActivitySource.AddActivityListener(_spans);

            var meters = fixture.Service.Services.GetRequiredService<IMeterFactory>();
            _counters.InstrumentPublished = (instrument, listener) =>
            {
                // This fixture's service only: other test hosts in the process have a meter of the same name.
                if (instrument.Meter.Name == RightsRequestsMetrics.MeterName && instrument.Meter.Scope == meters)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _counters.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (instrument.Name == "procexon.rightsrequests.mail.sent")
                {
                    Interlocked.Add(ref _sent, value);
                }
                else if (instrument.Name == "procexon.rightsrequests.mail.failed")
                {
                    Interlocked.Add(ref _failed, value);
                }
            });
            _counters.Start();
        }

        public long Sent => Interlocked.Read(ref _sent);

        public long Failed => Interlocked.Read(ref _failed);

        public IReadOnlyList<Activity> SpansOf(Guid requestId) =>
            [.. _stopped.Where(a => a.GetTagItem("procexon.request_id") is Guid id && id == requestId)];

        public void Dispose()
        {
            _spans.Dispose();
            _counters.Dispose();
        }
    }
}
