using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Procexon.Messaging.Mail;

namespace Procexon.RightsRequests.Extensions;

public static class LifecycleExtensions
{
    /// <summary>
    /// The request lifecycle: the audit trail written with every save, the unverified-request sweep, the removal of
    /// answer copies past their retention, one-time codes, and mail to subjects over SMTP (a failure
    /// until a mail server is configured).
    /// </summary>
    public static IHostApplicationBuilder AddRequestLifecycle(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestLifecycleOptions>().BindConfiguration(RequestLifecycleOptions.Section)
            .Validate(o => o.VerificationWindow > TimeSpan.Zero, "RightsRequests:VerificationWindow must be positive.")
            // PeriodicTimer takes at most about 49 days.
            .Validate(o => o.SweepInterval > TimeSpan.Zero && o.SweepInterval <= TimeSpan.FromDays(45), "RightsRequests:SweepInterval must be between 0 and 45 days.")
            .Validate(o => o.AnswerCopies.KeepFor > TimeSpan.Zero, "RightsRequests:AnswerCopies:KeepFor must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<RequestAuditInterceptor>();
        builder.Services.ConfigureDbContext<RightsRequestsContext>((services, options) =>
            options.AddInterceptors(services.GetRequiredService<RequestAuditInterceptor>()));

        builder.Services.AddSingleton(services =>
        {
            var key = services.GetRequiredService<IOptions<RequestLifecycleOptions>>().Value.VerificationCodeKey;
            // The AppHost passes a generated key, so codes survive a restart; without one (a bare `dotnet run`) each
            // process makes its own and a code sent before a restart is refused.
            if (string.IsNullOrWhiteSpace(key))
            {
                return new VerificationCode(RandomNumberGenerator.GetBytes(32));
            }

            return key.Length >= 32
                ? new VerificationCode(System.Text.Encoding.UTF8.GetBytes(key))
                : throw new InvalidOperationException("RightsRequests:VerificationCodeKey must be at least 32 characters.");
        });

        // Mail to subjects goes to the SMTP server named by ConnectionStrings:mail (the AppHost's local server in
        // Development and tests); without one every send fails with a 503 rather than pretending.
        if (builder.TryAddSmtpMailer(services => services.GetRequiredService<RightsRequestsMetrics>().Mail))
        {
            builder.Services.AddSingleton<ISubjectMailer, SmtpSubjectMailer>();
        }
        else
        {
            builder.Services.AddSingleton<ISubjectMailer, UnconfiguredSubjectMailer>();
        }

        builder.Services.AddSingleton<UnverifiedRequestSweep>();
        builder.Services.AddHostedService(services => services.GetRequiredService<UnverifiedRequestSweep>());
        // The purge counts what it removes; TryAdd, so the lifecycle also stands without AddRequestMetrics.
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<RightsRequestsMetrics>();
        builder.Services.AddSingleton<AnswerCopyPurge>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AnswerCopyPurge>());
        return builder;
    }
}
